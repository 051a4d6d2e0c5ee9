"""Shared code of the govind DAGs: how a task runs govind, and what its exit code means.

Why one module: both DAGs run govind the same way (one runner switch), build their command lines
with the same templates, and turn govind's exit codes into task outcomes through ONE table
(``EXIT_CODES``), which a JUnit test (``DagArgumentsTest``) checks against ``org.govind.core.ExitCode``.

Parse-time rules (the scheduler imports this file every few seconds): no I/O, no Variable reads and no
heavy imports at module level. Variables, the file system, subprocess and the Spark provider are only
touched inside ``execute``/``poke``, i.e. when a task runs on a worker.

Works on Airflow 2.10 and 3.x: every Airflow name is imported from its 3.x place first, then from its
2.x place.
"""
from __future__ import annotations

import datetime as _dt
import glob
import os
import re
try:
    from zoneinfo import ZoneInfo
except ImportError:  # Python 3.8 (Airflow 2.10 still runs on it): pendulum's time zones are tzinfo objects too
    from pendulum import timezone as ZoneInfo

# ---- Airflow names, 3.x first (airflow.sdk), then 2.10 ------------------------------------------------
try:
    from airflow.sdk import DAG, BaseOperator, Variable
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.models import BaseOperator, Variable
try:
    from airflow.sdk import BaseSensorOperator
except ImportError:
    try:
        from airflow.sdk.bases.sensor import BaseSensorOperator
    except ImportError:  # Airflow 2.10
        from airflow.sensors.base import BaseSensorOperator
try:
    from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
except ImportError:  # Airflow 2.10 without the standard provider
    from airflow.sensors.external_task import ExternalTaskSensor
try:
    from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException
except ImportError:
    from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException
try:
    from airflow.timetables.interval import CronDataIntervalTimetable
except ImportError:
    from airflow.sdk import CronDataIntervalTimetable

__all__ = ["DAG", "Variable", "GovindOperator", "GovindSensor", "LandingSensor", "NotifyOperator",
           "ExternalTaskSensor", "CronDataIntervalTimetable"]

# ---- time ---------------------------------------------------------------------------------------------
TZ = "Asia/Shanghai"
_TZINFO = ZoneInfo(TZ)

#: The nightly run starts at this local time, after the districts' export cut-off (02:00).
NIGHTLY_CRON = "0 3 * * *"
NIGHTLY_HOUR = 3
#: The monthly run starts on the 1st of the next month; it then waits for the books to close.
MONTHLY_CRON = "0 4 1 * *"


def local_day(dt) -> str:
    """The local (Asia/Shanghai) date of an aware date-time, YYYY-MM-DD.

    Not ``{{ ds }}``: Airflow renders ``ds`` from the logical date in UTC, and 03:00 in Shanghai is
    19:00 UTC of the day before.
    """
    return dt.astimezone(_TZINFO).strftime("%Y-%m-%d")


def local_month(dt) -> str:
    """The local (Asia/Shanghai) month of an aware date-time, YYYY-MM."""
    return dt.astimezone(_TZINFO).strftime("%Y-%m")


#: Jinja macros every govind DAG registers (``user_defined_macros``).
MACROS = {"local_day": local_day, "local_month": local_month}

# ---- templates (rendered by Airflow when the task runs) -------------------------------------------------
#: The night a nightly run loads: the local date its data interval starts (exports of that day).
NIGHT = "{{ local_day(data_interval_start) }}"
#: The month a monthly run publishes: the local month its data interval starts.
MONTH = "{{ local_month(data_interval_start) }}"
WAREHOUSE = "{{ var.value.govind_warehouse }}"
LANDING = "{{ var.value.govind_landing }}"
OUT = "{{ var.value.govind_out }}"
RULES = "{{ var.value.govind_rules }}"
ISSUER = "{{ var.value.govind_issuer }}"
BY = "airflow:{{ dag.dag_id }}"

#: What each template renders to in DagArgumentsTest (govind's parser sees these values).
TEMPLATE_SAMPLES = {
    NIGHT: "2026-03-15",
    MONTH: "2026-03",
    WAREHOUSE: "/data/govind/warehouse",
    LANDING: "/data/govind/landing",
    OUT: "/data/govind/bulletins",
    RULES: "/opt/govind/conf/rules.yaml",
    ISSUER: "中共某市委组织部",
    BY: "airflow:govind_nightly",
}

#: Appended to every command line in spark-submit mode: the master comes from spark-submit.
SPARK_SUBMIT_EXTRA = ["--master", "submit"]


def writer(command: list[str]) -> list[str]:
    """A writing command's argv: the warehouse named, never waiting for the lock (exit 10, retried), who."""
    return command + ["--warehouse", WAREHOUSE, "--no-wait", "--by", BY]


def nightly_argv() -> list[str]:
    """One JVM: ingest the night (and earlier nights delivered late), recompute the months the new rows change."""
    return writer(["nightly", "--date", NIGHT, "--landing", LANDING, "--rules", RULES])


def rate_argv() -> list[str]:
    return writer(["rate", "--period", MONTH, "--rules", RULES])


def lists_argv() -> list[str]:
    return writer(["lists", "--period", MONTH, "--rules", RULES])


def publish_draft_argv() -> list[str]:
    return writer(["publish", "--period", MONTH, "--rules", RULES, "--out", OUT, "--issuer", ISSUER])


def publish_final_argv() -> list[str]:
    # no --issuer: the final takes the draft's issuer (another one would be refused with exit 14)
    return writer(["publish", "--period", MONTH, "--final", "--rules", RULES, "--out", OUT])


# ---- exit codes → task outcomes: the ONE table ------------------------------------------------------------
OK = "ok"                # the task succeeds
RETRY = "retry"          # the task fails; Airflow retries it (with exponential backoff)
FAIL = "fail"            # the task fails at once, no retry (AirflowFailException): a person must act
NOT_YET = "not-yet"      # a sensor reschedules itself; in a plain task it fails without retry

#: govind's exit code → (name in org.govind.core.ExitCode, outcome, what the operator should do).
#: DagArgumentsTest fails when a code of ExitCode is missing here, or a code here is not in ExitCode.
EXIT_CODES = {
    0: ("OK", OK, "done"),
    1: ("FAILED", RETRY, "govind failed or refused; the last 'govind:' line of the log says why "
                         "(retried, since an I/O error or a crashed executor may pass)"),
    2: ("USAGE", FAIL, "usage error: the DAG's command line does not match this govind version; "
                       "update airflow/dags/ with the govind release"),
    3: ("FAILED_CHECKS", FAIL, "a quality check at level error failed: look at "
        "`govind sql \"SELECT * FROM ops.quality_checks WHERE level = 'error'\"` for the month, fix the exports "
        "and clear this task, or have an operator accept them by re-running the command with "
        "--allow-failed-checks (then mark this task success)"),
    4: ("PENDING_OBJECTION", NOT_YET, "an objection is still pending: decide it with `govind objection decide`"),
    5: ("PUBLICITY_RUNNING", NOT_YET, "the publicity period is still running"),
    6: ("REPRODUCE_DIFFERS", FAIL, "reproduce found a difference from the publication"),
    7: ("SQL_REFUSED", FAIL, "the SQL is not read-only"),
    8: ("NO_PII_KEY", FAIL, "no usable GOVIND_PII_KEY in the worker's environment: set it there "
                           "(never in a Variable or the connection)"),
    9: ("KEY_MISMATCH", FAIL, "GOVIND_PII_KEY is not the warehouse's key: nothing was written; fix the key"),
    10: ("LOCKED", RETRY, "another writer holds the warehouse lock (retried with backoff)"),
    11: ("CONFLICT", RETRY, "another process changed a table meanwhile (retried with backoff)"),
    12: ("AUDIT_INCONSISTENT", FAIL, "the audit found an inconsistency: see `govind audit`"),
    13: ("FOREIGN_FOLDER", FAIL, "the report folder holds files govind did not write: move them out, clear the task"),
    14: ("ALREADY_FINAL", FAIL, "the month is already final: nothing may change; if that is expected, "
                               "mark this task success"),
    # 15-21 come from `govind airflow ...` (the operator's client of this scheduler); no DAG task runs it,
    # so a DAG never sees them, but every code has one meaning here too.
    15: ("AIRFLOW_AUTH", FAIL, "govind airflow: Airflow refused the user or password"),
    16: ("AIRFLOW_NOT_FOUND", FAIL, "govind airflow: no such DAG or run"),
    17: ("AIRFLOW_CONFLICT", FAIL, "govind airflow: the run id (or logical date, or backfill) already exists"),
    18: ("AIRFLOW_UNREACHABLE", RETRY, "govind airflow: the server is down or too slow"),
    19: ("AIRFLOW_REJECTED", FAIL, "govind airflow: Airflow refused the request"),
    20: ("AIRFLOW_RUN_FAILED", FAIL, "govind airflow wait: the run failed"),
    21: ("AIRFLOW_TIMEOUT", RETRY, "govind airflow wait: the run had not finished in time"),
    22: ("PORT_IN_USE", FAIL, "govind serve or cluster start: the port is taken (serve --status / cluster status say whether by govind)"),
}

#: A code outside the table: a JVM killed by a signal (137 = OOM killer, 143 = SIGTERM), a crash.
UNKNOWN_OUTCOME = RETRY


def outcome(code: int) -> tuple[str, str, str]:
    """(name, outcome, hint) for an exit code; unknown codes (crashes, signals) are retried."""
    if code in EXIT_CODES:
        return EXIT_CODES[code]
    return (f"exit {code}", UNKNOWN_OUTCOME, "govind's JVM ended abnormally (crash, signal or out of memory)")


def raise_for(code: int, task: str, last_line: str, sensor: bool = False) -> bool:
    """Turns an exit code into the task's outcome: returns True (done), returns False (a sensor's
    "not yet"), or raises (AirflowException: retried; AirflowFailException: not retried)."""
    name, what, hint = outcome(code)
    if what == OK:
        return True
    if what == NOT_YET and sensor:
        return False
    msg = f"{task}: govind exited {code} ({name}): {hint}" + (f" | {last_line}" if last_line else "")
    if what == RETRY:
        raise AirflowException(msg)
    raise AirflowFailException(msg)


# ---- the runner (one switch: Variable govind_runner = spark-submit | local) --------------------------------
RUNNERS = ("spark-submit", "local")
MAIN_CLASS = "org.govind.cli.Main"
SPARK_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}
#: The hook's failure text: "... Error code is: N." (spark-submit's exit status), and on Kubernetes also
#: "Kubernetes spark exit code is: N" (the driver pod's), which is govind's there.
_SPARK_EXIT = re.compile(r"Error code is: (-?\d+)")
_K8S_EXIT = re.compile(r"Kubernetes spark exit code is: (-?\d+)")


def var(key: str, default=None) -> str:
    """A Variable's value when a task runs (never at parse time). The default is passed positionally:
    Airflow 2 names that parameter ``default_var``, Airflow 3 ``default``. Without a default a missing
    Variable fails the task and names it."""
    if default is None:
        return Variable.get(key)
    return Variable.get(key, default)


def _home() -> str:
    """Variable govind_home: the govind installation (bin/govind, jobs/target/, conf/), an absolute path."""
    return os.path.abspath(var("govind_home"))


def _env(home: str) -> dict:
    """govind's environment: the worker's (GOVIND_PII_KEY must be there), its conf folder by default."""
    env = dict(os.environ)
    env.setdefault("GOVIND_CONF", os.path.join(home, "conf", "govind.conf"))
    return env


def run_govind(task, argv: list[str]) -> tuple[int, str]:
    """Runs govind with the rendered argv the way Variable ``govind_runner`` says; returns (exit code,
    the last line govind wrote that starts with 'govind:', its one-line reason)."""
    runner = var("govind_runner", "spark-submit")
    if runner not in RUNNERS:
        raise AirflowFailException(f"Variable govind_runner must be one of {RUNNERS}, not {runner!r}")
    home = _home()
    if runner == "local":
        return _run_local(task, home, argv)
    return _run_spark_submit(task, home, argv)


def _run_local(task, home: str, argv: list[str]) -> tuple[int, str]:
    import subprocess
    cmd = [os.path.join(home, "bin", "govind")] + list(argv)
    task.log.info("running %s", " ".join(cmd))
    last = ""
    with subprocess.Popen(cmd, cwd=home, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", errors="replace") as p:
        for line in p.stdout:
            line = line.rstrip("\n")
            task.log.info("%s", line)
            if line.startswith("govind:"):
                last = line
        code = p.wait()
    return code, last


def _run_spark_submit(task, home: str, argv: list[str]) -> tuple[int, str]:
    """spark-submit through the provider's hook (connection ``spark_default`` unless Variable
    ``govind_spark_conn`` says otherwise).

    What Airflow sees of govind's exit code: the hook only reports a non-zero exit of spark-submit, in
    its exception text ("Error code is: N."). In client deploy mode (the connection's default, and what
    the README requires for the personal-data key) the driver runs inside the spark-submit JVM, and
    govind's ``System.exit(code)`` is spark-submit's exit status: the table applies in full. In YARN
    cluster mode spark-submit exits 1 for any failed application, so every failure looks like exit 1
    (retried, then failed; the reason is only in the driver's YARN log); on Kubernetes the hook adds the
    driver pod's exit code, which is used; standalone cluster mode reports no code (treated as a crash)."""
    from airflow.providers.apache.spark.hooks.spark_submit import SparkSubmitHook
    lib = os.path.join(home, "jobs", "target", "lib")
    jars = ",".join(j for j in sorted(glob.glob(os.path.join(lib, "*.jar")))
                    if not os.path.basename(j).startswith(("spark-", "scala-")))
    conn = var("govind_spark_conn", "spark_default")
    # The driver (client mode) inherits this task process's environment: GOVIND_PII_KEY from the worker,
    # and govind's conf folder (spark-defaults.conf, govind.conf). Not the hook's env_vars: those are
    # refused in standalone cluster mode and on YARN are copied into the Spark conf (spark.yarn.appMasterEnv.*).
    os.environ.setdefault("GOVIND_CONF", _env(home)["GOVIND_CONF"])
    hook = SparkSubmitHook(conn_id=conn, java_class=MAIN_CLASS, jars=jars, conf=dict(SPARK_CONF),
                           name=f"govind-{task.task_id}", application_args=list(argv) + SPARK_SUBMIT_EXTRA)
    try:
        hook.submit(application=os.path.join(home, "jobs", "target", "govind-jobs.jar"))
        return 0, ""
    except Exception as e:  # the provider's AirflowException (its import path differs between versions)
        text = str(e)
        codes = [int(m.group(1)) for m in (_K8S_EXIT.search(text), _SPARK_EXIT.search(text)) if m]
        code = next((c for c in codes if c != 0), -1)  # no code in the text: treated as a crash
        return code, (text.splitlines() or [""])[0][:500]


# ---- operators -------------------------------------------------------------------------------------------
class GovindOperator(BaseOperator):
    """Runs one govind command; its exit code decides the outcome through ``EXIT_CODES``."""

    template_fields = ("argv",)
    ui_color = "#f3d9c4"

    def __init__(self, *, argv: list[str], **kwargs):
        super().__init__(**kwargs)
        self.argv = list(argv)

    def execute(self, context):
        code, last = run_govind(self, self.argv)
        raise_for(code, self.task_id, last)


class GovindSensor(BaseSensorOperator):
    """Runs one govind command at each poke: done on exit 0, "not yet" (reschedule) on the codes the
    table calls not-yet (4 objection pending, 5 publicity running), else as GovindOperator."""

    template_fields = ("argv",)
    ui_color = "#e8c4f3"

    def __init__(self, *, argv: list[str], **kwargs):
        super().__init__(**kwargs)
        self.argv = list(argv)

    def poke(self, context) -> bool:
        code, last = run_govind(self, self.argv)
        done = raise_for(code, self.task_id, last, sensor=True)
        if not done:
            self.log.info("not yet: %s (%s)", outcome(code)[2], last)
        return done


class LandingSensor(BaseSensorOperator):
    """Waits for the night's landing folders ``<landing>/<district>/<night>/``.

    Done when every district in Variable ``govind_districts`` (comma-separated; optional) has a
    non-empty folder for the night, or, without that Variable, when any district has. Use it with
    ``soft_fail=True`` and a timeout: a district that never delivers makes the sensor skip at the
    timeout and the night goes on (ingest runs with ``trigger_rule="none_failed"``); compute's quality
    checks (``exports_missing``, ``silent_district``) report the missing district.

    Only a local or mounted landing path can be checked; for an ``hdfs://``/``s3a://`` landing the
    sensor says so and succeeds at once.
    """

    template_fields = ("landing", "night")

    def __init__(self, *, landing: str, night: str, **kwargs):
        super().__init__(**kwargs)
        self.landing = landing
        self.night = night

    def poke(self, context) -> bool:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", self.landing) and not self.landing.startswith("file://"):
            self.log.info("landing %s is not a local path: not checked, ingest loads what is there", self.landing)
            return True
        root = self.landing[len("file://"):] if self.landing.startswith("file://") else self.landing
        delivered = sorted(os.path.basename(os.path.dirname(d.rstrip("/")))
                           for d in glob.glob(os.path.join(root, "*", self.night, ""))
                           if os.listdir(d))
        expected_text = var("govind_districts", "")
        expected = [d.strip() for d in expected_text.split(",") if d.strip()]
        if expected:
            missing = [d for d in expected if d not in delivered]
            self.log.info("night %s: delivered %s, missing %s", self.night, delivered, missing)
            return not missing
        self.log.info("night %s: delivered %s", self.night, delivered)
        return bool(delivered)


class NotifyOperator(BaseOperator):
    """The last step: says the month is published. A placeholder that logs the message; replace it by
    an EmailOperator or a chat notifier of your installation (the message is templated)."""

    template_fields = ("message",)

    def __init__(self, *, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def execute(self, context):
        self.log.info("%s", self.message)
        return self.message


# ---- the monthly run waits for the nightly run of the books-close night ------------------------------------
def books_close_days() -> int:
    """``cases.books_close_days`` of conf/rules.yaml, as Variable ``govind_books_close_days`` (default 3).
    The DAG cannot read the rules file when it is parsed; the Variable must match it."""
    return int(var("govind_books_close_days", "3"))


def books_close_night(month_start, days: int) -> _dt.datetime:
    """The nightly run's logical date for the books-close night of the month starting at
    ``month_start``: the month's last day + ``days``, at the nightly start time (local)."""
    local = month_start.astimezone(_TZINFO)
    first = _dt.date(local.year, local.month, 1)
    nxt = _dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    close = nxt - _dt.timedelta(days=1) + _dt.timedelta(days=days)
    return _dt.datetime(close.year, close.month, close.day, NIGHTLY_HOUR, tzinfo=_TZINFO)


def nightly_run_of_books_close(logical_date, **_context):
    """``execution_date_fn`` of the monthly run's wait: which nightly run to wait for (runs on the worker)."""
    return books_close_night(logical_date, books_close_days())


def default_args(**extra) -> dict:
    """Owner and retries of every govind task: 3 retries, 5 min doubling up to 1 h (only the retry
    outcomes of EXIT_CODES ever retry; the others raise AirflowFailException)."""
    args = {
        "owner": "govind",
        "retries": 3,
        "retry_delay": _dt.timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": _dt.timedelta(hours=1),
    }
    args.update(extra)
    return args
