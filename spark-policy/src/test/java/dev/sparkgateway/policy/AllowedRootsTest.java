package dev.sparkgateway.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedRootsTest {

    private final AllowedRoots roots = AllowedRoots.parse(" /data/shared , s3a://Bucket/team/ ");

    @Test
    void pathsUnderARootAreAllowedWhateverTheirSpelling() {
        assertTrue(roots.allows("/data/shared"));
        assertTrue(roots.allows("/data/shared/x/y.parquet"));
        assertTrue(roots.allows("file:/data/shared/x"));
        assertTrue(roots.allows("file:///data/shared/x"));
        assertTrue(roots.allows("/data/shared//x/*.csv"));
        assertTrue(roots.allows("s3a://bucket/team/t"));
    }

    @Test
    void everythingElseIsDenied() {
        assertFalse(roots.allows("/data/sharedother/x"), "a root is a folder, not a prefix");
        assertFalse(roots.allows("/data"));
        assertFalse(roots.allows("/etc/hostname"));
        assertFalse(roots.allows("hdfs://nn/data/shared/x"), "another file system");
        assertFalse(roots.allows("file://otherhost/data/shared/x"));
        assertFalse(roots.allows("s3a://bucket/other"));
        assertFalse(roots.allows("relative/path"));
        assertFalse(roots.allows(""));
        assertFalse(roots.allows(null));
    }

    @Test
    void pathsThatCouldLeaveARootAfterExpansionAreDenied() {
        assertFalse(roots.allows("/data/shared/../../etc/passwd"));
        assertFalse(roots.allows("/data/shared/{x,../../etc}"));
        assertFalse(roots.allows("/data/shared/[a-z]"));
        assertFalse(roots.allows("/data/shared/x\\y"));
    }

    @Test
    void noRootsAllowNothing() {
        assertFalse(AllowedRoots.parse("").allows("/data/shared/x"));
        assertFalse(AllowedRoots.parse(null).allows("/"));
    }
}
