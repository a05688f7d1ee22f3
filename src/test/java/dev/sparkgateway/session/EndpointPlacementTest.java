package dev.sparkgateway.session;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The placement policy alone: sticky users, least-loaded new users, failover, recovery, all down. */
class EndpointPlacementTest {

    final EndpointPlacement placement = new EndpointPlacement(List.of("east", "west", "north"));
    final Map<String, Integer> load = new HashMap<>(Map.of("east", 0, "west", 0, "north", 0));
    final ToIntFunction<String> loadOf = load::get;
    static final Predicate<String> ALL_UP = e -> true;

    @Test
    void aNewUserGoesToTheLeastLoadedEndpointTiesToTheFirstConfigured() {
        assertEquals("east", placement.place(null, ALL_UP, loadOf));
        load.put("east", 3);
        load.put("west", 1);
        load.put("north", 1);
        assertEquals("west", placement.place(null, ALL_UP, loadOf));
        load.put("north", 0);
        assertEquals("north", placement.place(null, ALL_UP, loadOf));
    }

    @Test
    void aUserSticksToTheirEndpointHoweverLoadedItIs() {
        load.put("east", 100);
        assertEquals("east", placement.place("east", ALL_UP, loadOf));
    }

    @Test
    void aNewUserNeverGoesToAnEndpointThatIsDownEvenIfIdle() {
        load.put("west", 5);
        load.put("north", 9);
        assertEquals("west", placement.place(null, e -> !e.equals("east"), loadOf));
    }

    @Test
    void aUserOnAnEndpointThatIsDownMovesToTheLeastLoadedOneUp() {
        load.put("west", 4);
        load.put("north", 2);
        assertEquals("north", placement.place("east", e -> !e.equals("east"), loadOf));
        assertEquals("west", placement.place("east", Set.of("west")::contains, loadOf));
    }

    @Test
    void onceMovedAUserStaysWhenTheOldEndpointRecoversWhileNewUsersGoThereAgain() {
        Predicate<String> eastDown = e -> !e.equals("east");
        String moved = placement.place("east", eastDown, loadOf);
        assertEquals("west", moved);
        load.put("west", 1);
        // east is back and idle
        assertEquals("west", placement.place(moved, ALL_UP, loadOf), "sticky after recovery");
        assertEquals("east", placement.place(null, ALL_UP, loadOf), "a recovered endpoint takes new users");
    }

    @Test
    void whenNoEndpointIsUpNobodyMovesAndANewUserTakesTheLeastLoaded() {
        Predicate<String> none = e -> false;
        assertEquals("west", placement.place("west", none, loadOf));
        load.put("east", 2);
        assertEquals("west", placement.place(null, none, loadOf));
    }

    @Test
    void anEndpointNoLongerConfiguredIsLeftLikeOneThatIsDown() {
        assertEquals("east", placement.place("gone", ALL_UP, loadOf));
        assertEquals("east", placement.place("gone", e -> false, loadOf));
    }

    @Test
    void oneEndpointIsAlwaysTheAnswer() {
        EndpointPlacement single = new EndpointPlacement(List.of("default"));
        assertEquals("default", single.place(null, e -> false, e -> 7));
        assertEquals("default", single.place("default", e -> false, e -> 7));
        assertThrows(IllegalArgumentException.class, () -> new EndpointPlacement(List.of()));
    }
}
