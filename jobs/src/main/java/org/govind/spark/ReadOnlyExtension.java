package org.govind.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.CreateViewCommand;
import org.apache.spark.sql.internal.SQLConf;
import scala.runtime.BoxedUnit;

/**
 * The read-only policy where every plan passes: a check rule on analyzed plans, installed with
 * {@code spark.sql.extensions} in {@code govind serve} (and analyst) sessions only, never in a
 * pipeline job. Spark runs it on every plan it analyzes in the session and in every session made from
 * it (each Spark Connect client gets one), before a command runs, whatever sent the plan: SQL text,
 * a Connect DataFrame, {@code df.write}, {@code spark.read.text(path)}. The decision is
 * {@link ReadOnlyPolicy#checkAnalyzed}, the same as {@code govind sql}'s analyzed half.
 *
 * <p>Armed by the static Spark setting {@link #ROOT} (the warehouse root; read from the SparkConf,
 * which no client can change), so a session without it is not affected. The server's own setup
 * (registering the tables by name) runs {@link #privileged}. Temporary views are allowed (they live
 * in the client's session; reading one reads its plan, which is checked). With the rule armed,
 * {@code ${...}} substitution must be off ({@code spark.sql.variable.substitute=false}): it would put
 * environment variables and Spark settings into the statement.
 */
public final class ReadOnlyExtension implements scala.Function1<SparkSessionExtensions, BoxedUnit> {
    /** The warehouse root the policy allows reads under; unset = the rule does nothing. */
    public static final String ROOT = "spark.govind.readonly.root";

    private static final ThreadLocal<Boolean> PRIVILEGED = ThreadLocal.withInitial(() -> false);

    @Override
    public BoxedUnit apply(SparkSessionExtensions ext) {
        ext.injectCheckRule(session -> plan -> {
            check(session, plan);
            return BoxedUnit.UNIT;
        });
        return BoxedUnit.UNIT;
    }

    static void check(SparkSession session, LogicalPlan plan) {
        if (PRIVILEGED.get()) return;
        scala.Option<String> root = session.sparkContext().conf().getOption(ROOT);
        if (root.isEmpty()) return;
        if (SQLConf.get().variableSubstituteEnabled()) {
            throw ReadOnlyPolicy.refusal("${...} 变量替换已被开启", "${...} variable substitution was switched on");
        }
        if (plan instanceof CreateViewCommand v && v.viewType() == org.apache.spark.sql.catalyst.analysis.PersistedView$.MODULE$) {
            throw ReadOnlyPolicy.refusal("持久视图 " + v.name(), "a persistent view " + v.name());
        }
        if (plan instanceof CreateViewCommand) return;   // a temporary view: its plan is checked when it is read
        ReadOnlyPolicy.checkAnalyzed(plan, root.get());
    }

    /** Runs the server's own setup on this thread without the rule (the tables are registered by CREATE TABLE). */
    public static <T> T privileged(Supplier<T> action) {
        boolean before = PRIVILEGED.get();
        PRIVILEGED.set(true);
        try {
            return action.get();
        } finally {
            PRIVILEGED.set(before);
        }
    }
}
