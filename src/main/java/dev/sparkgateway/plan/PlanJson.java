package dev.sparkgateway.plan;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;

/** Spark Connect plans in canonical protobuf JSON, the form {@code POST /v1/plan} takes. */
public final class PlanJson {

    private PlanJson() {
    }

    /**
     * A {@code Plan} with a root relation ({@code {"root": ...}}) or a bare {@code Relation}.
     *
     * @throws PlanException for anything else, including command plans
     */
    public static Relation parse(String json, boolean isPlan) {
        try {
            if (isPlan) {
                Plan.Builder plan = Plan.newBuilder();
                JsonFormat.parser().merge(json, plan);
                if (!plan.hasRoot()) {
                    throw new PlanException("/command", "only query plans ({\"root\": ...}) run here; send commands as SQL to /v1/sql");
                }
                return checked(plan.getRoot(), "/root");
            }
            Relation.Builder relation = Relation.newBuilder();
            JsonFormat.parser().merge(json, relation);
            return checked(relation.build(), "");
        } catch (InvalidProtocolBufferException e) {
            throw new PlanException("", "not a valid Spark Connect " + (isPlan ? "Plan" : "Relation") + ": " + e.getMessage());
        }
    }

    private static Relation checked(Relation relation, String pointer) {
        if (relation.getRelTypeCase() == Relation.RelTypeCase.RELTYPE_NOT_SET) {
            throw new PlanException(pointer, "the relation is empty; expected one relation type such as {\"range\": {...}}");
        }
        return relation;
    }

    /** {@code {"root": relation}} as canonical protobuf JSON. */
    public static String print(Relation relation) {
        return print(Plan.newBuilder().setRoot(relation));
    }

    private static String print(MessageOrBuilder message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a plan the gateway built cannot be printed", e);
        }
    }
}
