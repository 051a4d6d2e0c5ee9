package org.govind.airflow;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What govind asks of Airflow, the same for Airflow 2 ({@code /api/v1}, basic auth) and Airflow 3
 * ({@code /api/v2}, a JWT from {@code POST /auth/token}). {@link #connect(Options)} picks the
 * implementation, asking the server when {@link Options#api()} is null ("auto").
 * Every method throws {@link AirflowException} for what the server refused or did not answer.
 */
public interface AirflowClient {
    /** The API this client speaks. */
    ApiVersion api();

    /**
     * Starts a run. {@code runId} null lets Airflow name it; {@code conf} null sends none;
     * {@code logicalDate} null means "now" (sent explicitly, so {@code {{ ds }}} is defined on both versions).
     */
    default DagRun trigger(String dagId, String runId, Map<String, Object> conf, OffsetDateTime logicalDate) {
        return trigger(dagId, runId, conf, logicalDate, null);
    }

    /**
     * Starts a run for a given data interval ({@code interval} null: Airflow infers it). The govind DAGs
     * read their night or month from the data interval's start (Asia/Shanghai), and Airflow infers a
     * manual run's interval as the schedule slot that <em>ends</em> at the logical date, i.e. the night
     * or month before; so a run for night D is triggered with the interval [D 00:00, D+1 00:00).
     */
    DagRun trigger(String dagId, String runId, Map<String, Object> conf, OffsetDateTime logicalDate, Interval interval);

    /** A data interval [start, end). */
    record Interval(OffsetDateTime start, OffsetDateTime end) {
        /** The local day {@code d} in {@code zone}. */
        public static Interval day(java.time.LocalDate d, ZoneId zone) {
            return new Interval(Rfc3339.midnight(d, zone), Rfc3339.midnight(d.plusDays(1), zone));
        }

        /** The local month of {@code d} in {@code zone}. */
        public static Interval month(java.time.LocalDate d, ZoneId zone) {
            java.time.LocalDate first = d.withDayOfMonth(1);
            return new Interval(Rfc3339.midnight(first, zone), Rfc3339.midnight(first.plusMonths(1), zone));
        }
    }

    /** One run, as it is now. */
    DagRun run(String dagId, String runId);

    /** Every run of the DAG (all pages), optionally only those in {@code state}; oldest first. */
    List<DagRun> runs(String dagId, String state);

    /** Every task instance of one run (all pages). */
    List<TaskInstance> tasks(String dagId, String runId);

    /** Pauses ({@code true}) or unpauses a DAG. A paused DAG's runs stay queued. */
    void setPaused(String dagId, boolean paused);

    /**
     * Clears the run's failed (and upstream-failed) task instances for real ({@code dry_run} false:
     * both APIs default to a dry run that changes nothing), so the scheduler runs them again.
     * Returns the task ids cleared; empty when nothing had failed (nothing is changed then).
     */
    List<String> clear(String dagId, String runId);

    /**
     * Runs the DAG for every local day (or, {@code byMonth}, every month) from {@code from} to {@code to}
     * (both included) in {@code zone}. Airflow 3: one backfill over [from 00:00, to+1 00:00), and Airflow
     * creates the runs at the DAG's own schedule slots ({@code byMonth} is not needed there). Airflow 2
     * (no backfill endpoint): one triggered run per day or month, each with that day's or month's data
     * interval, so the DAG loads the night or publishes the month it names.
     */
    BackfillResult backfill(String dagId, LocalDate from, LocalDate to, ZoneId zone, boolean byMonth);

    default BackfillResult backfill(String dagId, LocalDate from, LocalDate to, ZoneId zone) {
        return backfill(dagId, from, to, zone, false);
    }

    /**
     * Polls the run until it finishes, sleeping longer between polls each time (up to
     * {@link Options#pollMax()}); {@code progress} sees the run each time its state changes.
     * Returns the run when it succeeded; throws {@link AirflowException.Kind#RUN_FAILED} naming the
     * failed tasks and tries, or {@link AirflowException.Kind#TIMEOUT} when {@code timeout} runs out.
     */
    DagRun waitFor(String dagId, String runId, Duration timeout, Consumer<DagRun> progress);

    /** Connects to the server, detecting the API version first when {@code options.api()} is null. */
    static AirflowClient connect(Options options) {
        Http http = new Http(options);
        ApiVersion api = options.api() != null ? options.api() : Detect.version(http);
        return api == ApiVersion.V1 ? new V1Client(http) : new V2Client(http);
    }

    /**
     * Where and how to connect. {@code url} is the server root ({@code http://host:8080}), without
     * {@code /api/v1} or {@code /api/v2}. Retries: a request that could not be sent, timed out
     * (reads only) or was answered 502/503/504 is tried again up to {@code retries} times, waiting
     * {@code retryPause}, doubled each time.
     */
    record Options(String url, ApiVersion api, String user, String password, Duration requestTimeout,
                   int retries, Duration retryPause, Duration pollFirst, Duration pollMax) {
        public Options {
            if (url == null || !url.matches("https?://[^/]+/?"))
                throw new IllegalArgumentException("--url must be the server root such as http://airflow:8080 (without /api/v1 or /api/v2), not " + url);
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            if (user == null || user.isEmpty()) throw new IllegalArgumentException("no Airflow user");
            if (password == null) throw new IllegalArgumentException("no Airflow password");
            if (retries < 0) throw new IllegalArgumentException("retries must be >= 0");
        }

        /** Defaults: 30 s per request, 3 retries from 1 s, polls from 5 s growing to 60 s. */
        public static Options of(String url, ApiVersion api, String user, String password) {
            return new Options(url, api, user, password, Duration.ofSeconds(30), 3, Duration.ofSeconds(1),
                    Duration.ofSeconds(5), Duration.ofSeconds(60));
        }

        public Options withPolling(Duration first, Duration max) {
            return new Options(url, api, user, password, requestTimeout, retries, retryPause, first, max);
        }

        public Options withRetries(int n, Duration pause) {
            return new Options(url, api, user, password, requestTimeout, n, pause, pollFirst, pollMax);
        }

        public Options withRequestTimeout(Duration t) {
            return new Options(url, api, user, password, t, retries, retryPause, pollFirst, pollMax);
        }
    }
}
