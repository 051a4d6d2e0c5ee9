"""### govind_nightly: load one night's exports and recompute the months they change

Runs every day at 03:00 Asia/Shanghai, after the districts' export cut-off, for the night whose
exports are in `<landing>/<district>/<night>/` (the night is the local date the run's data interval
starts; catch-up on, one run at a time, so nights load in order).

| task | govind | on failure |
|---|---|---|
| `wait_landing` | (checks the landing folder) | after 5 h it is *skipped* and the night goes on: a district that never delivers does not block the others; compute's quality checks report it |
| `nightly` | `nightly --date <night> --landing … --rules … --warehouse … --no-wait`: in one JVM, ingests the night and every earlier night delivered late, then recomputes every month the new rows can change | exit 8/9 (key): fails, no retry; 10/11/1/crash: retried with backoff (a retry recomputes what an interrupted try loaded); **the quality gate**: exit 3 fails without retry: look at `ops.quality_checks`, fix, or have an operator re-run with `--allow-failed-checks` |

Exit codes map to outcomes in `govind_common.EXIT_CODES`. Re-run a night: clear its run (or one task).
"""
import pendulum

from govind_common import (DAG, MACROS, NIGHT, NIGHTLY_CRON, LANDING, TZ, CronDataIntervalTimetable,
                           GovindOperator, LandingSensor, default_args, nightly_argv)

with DAG(
    dag_id="govind_nightly",
    description="govind: ingest one night's exports, recompute the months they change, quality gate",
    schedule=CronDataIntervalTimetable(NIGHTLY_CRON, timezone=TZ),
    start_date=pendulum.datetime(2026, 1, 1, tz=TZ),  # the first night to load; set before unpausing
    catchup=True,
    max_active_runs=1,
    default_args=default_args(),
    user_defined_macros=MACROS,
    tags=["govind", "nightly"],
    doc_md=__doc__,
) as dag:
    wait_landing = LandingSensor(
        task_id="wait_landing",
        landing=LANDING,
        night=NIGHT,
        mode="reschedule",
        poke_interval=10 * 60,
        timeout=5 * 60 * 60,
        soft_fail=True,
        retries=0,
        doc_md="Waits for `<landing>/<district>/<night>/`: every district of Variable `govind_districts`, "
               "or any district without it. At the 5 h timeout it is skipped (soft fail) and `ingest` "
               "loads what arrived.",
    )
    nightly = GovindOperator(
        task_id="nightly",
        argv=nightly_argv(),
        trigger_rule="none_failed",  # also after a skipped (timed-out) wait
        doc_md="`govind nightly --date <night>`: one JVM and one Spark session. Loads the night's folders "
               "(and any earlier night delivered late), exactly once per file, then recomputes every month the "
               "new rows can change: the night's month, the previous one inside its books-close window, and an "
               "older month when a late night, a late visit or a reversal reaches it. The quality gate: exit 3 "
               "(a check at level error failed) fails this task without retry; the message says what to do.",
    )
    wait_landing >> nightly
