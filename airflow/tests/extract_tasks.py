#!/usr/bin/env python3
"""Checks the govind DAGs without Airflow (python3 standard library only).

1. ``py_compile`` of every file in airflow/dags/ (no bytecode left next to them).
2. Loads each DAG file twice, once against a fake Airflow 3 (``airflow.sdk``) and once against a fake
   Airflow 2.10 (``airflow.models`` …), injected into ``sys.modules``. The fakes record every DAG, task,
   argument and dependency, refuse unknown operator arguments (as Airflow does) and refuse
   ``Variable.get`` while a file is parsed (parse time must do no I/O).
3. Checks what the DAGs promise (schedule, catch-up, one active run, doc_md, tags, owner, retries, the
   task order, the exit-code outcomes, the landing sensor and the local runner against a fake bin/govind).
4. Prints JSON on stdout:
   ``{"tasks": {dag_id: {task_id: [argv…]}}, "exit_codes": {code: name}, "samples": {template: value},
   "spark_submit_extra": [...]}``: DagArgumentsTest (jobs) parses every argv with govind's real picocli
   parser and compares the exit codes with org.govind.core.ExitCode.

Usage: python3 airflow/tests/extract_tasks.py [--tmp DIR]     (exit 0 when every check passes)
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import os
import py_compile
import shutil
import sys
import tempfile
import types
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
DAGS = os.path.normpath(os.path.join(HERE, "..", "dags"))
DAG_FILES = ["govind_nightly.py", "govind_monthly.py"]
HEAVY = ("pyspark", "pandas", "numpy", "requests", "airflow.providers.apache")

failures: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        failures.append(what)


# ---- the fake Airflow ---------------------------------------------------------------------------------------
class FakeAirflowException(Exception):
    pass


class FakeAirflowFailException(FakeAirflowException):
    pass


class FakeAirflowSkipException(FakeAirflowException):
    pass


class FakeVariable:
    parsing = True
    values: dict = {}
    __module__ = "airflow.models"

    @classmethod
    def get(cls, key, default=KeyError, *args, **kwargs):
        if kwargs:
            raise TypeError(f"Variable.get({key!r}): pass the default positionally (Airflow 2 and 3 name it differently)")
        if cls.parsing:
            raise AssertionError(f"Variable.get({key!r}) while the DAG file is parsed: read Variables in templates or tasks")
        if key in cls.values:
            return cls.values[key]
        if default is KeyError:
            raise KeyError(f"Variable {key} does not exist")
        return default


_current_dag = []
BASE_ARGS = {"task_id", "owner", "retries", "retry_delay", "retry_exponential_backoff", "max_retry_delay",
             "trigger_rule", "doc_md", "dag", "pool", "queue", "execution_timeout", "email", "email_on_failure"}
SENSOR_ARGS = {"mode", "poke_interval", "timeout", "soft_fail", "exponential_backoff", "max_wait"}
EXTERNAL_ARGS = {"external_dag_id", "external_task_id", "external_task_ids", "execution_date_fn", "execution_delta",
                 "allowed_states", "failed_states", "skipped_states", "check_existence"}
TRIGGER_RULES = {"all_success", "all_failed", "all_done", "one_success", "one_failed", "none_failed",
                 "none_skipped", "none_failed_min_one_success", "always"}


class FakeBaseOperator:
    allowed = BASE_ARGS
    template_fields: tuple = ()

    def __init__(self, **kwargs):
        unknown = set(kwargs) - type(self).allowed_all()
        if unknown:
            raise TypeError(f"{type(self).__name__}: invalid arguments {sorted(unknown)}")
        dag = kwargs.get("dag") or (_current_dag[-1] if _current_dag else None)
        if dag is None:
            raise AssertionError(f"task {kwargs.get('task_id')} is outside a DAG")
        merged = dict(dag.default_args)
        merged.update(kwargs)
        self.task_id = kwargs["task_id"]
        self.kwargs = merged
        self.trigger_rule = merged.get("trigger_rule", "all_success")
        if self.trigger_rule not in TRIGGER_RULES:
            raise ValueError(f"{self.task_id}: unknown trigger_rule {self.trigger_rule}")
        for k in ("owner", "retries", "doc_md", "mode", "poke_interval", "timeout", "soft_fail"):
            setattr(self, k, merged.get(k))
        self.log = logging.getLogger(f"task.{self.task_id}")
        self.upstream: list[str] = []
        self.dag = dag
        if self.task_id in dag.tasks:
            raise ValueError(f"duplicate task id {self.task_id}")
        dag.tasks[self.task_id] = self

    @classmethod
    def allowed_all(cls):
        s = set()
        for k in cls.__mro__:
            s |= getattr(k, "allowed", set())
        return s

    def __rshift__(self, other):
        other.upstream.append(self.task_id)
        return other


class FakeBaseSensorOperator(FakeBaseOperator):
    allowed = SENSOR_ARGS

    def __init__(self, **kwargs):
        mode = kwargs.get("mode", "poke")
        if mode not in ("poke", "reschedule"):
            raise ValueError(f"mode {mode}")
        super().__init__(**kwargs)


class FakeExternalTaskSensor(FakeBaseSensorOperator):
    allowed = EXTERNAL_ARGS


class FakeTimetable:
    def __init__(self, cron, timezone):
        self.cron, self.timezone = cron, timezone


class FakeDAG:
    ARGS = {"dag_id", "description", "schedule", "start_date", "catchup", "max_active_runs", "default_args",
            "user_defined_macros", "tags", "doc_md", "params", "end_date", "dagrun_timeout"}
    dags: dict = {}

    def __init__(self, dag_id=None, **kwargs):
        unknown = set(kwargs) - self.ARGS
        if unknown:
            raise TypeError(f"DAG {dag_id}: invalid arguments {sorted(unknown)}")
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.default_args = kwargs.get("default_args") or {}
        self.tasks: dict = {}
        FakeDAG.dags[dag_id] = self

    def __enter__(self):
        _current_dag.append(self)
        return self

    def __exit__(self, *exc):
        _current_dag.pop()
        return False


def fake_pendulum():
    m = types.ModuleType("pendulum")

    def datetime(y, mo, d, h=0, mi=0, s=0, tz="UTC"):
        return dt.datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(tz))

    m.datetime = datetime
    return m


def install_fake_airflow(flavour: str) -> None:
    for name in [n for n in sys.modules if n == "airflow" or n.startswith("airflow.") or n in ("pendulum", "govind_common")]:
        del sys.modules[name]
    for n in [n for n in list(sys.modules) if n.startswith(("govind_nightly", "govind_monthly"))]:
        del sys.modules[n]

    def mod(name, **attrs):
        m = types.ModuleType(name)
        m.__path__ = []  # a package, so submodules import
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    exc = dict(AirflowException=FakeAirflowException, AirflowFailException=FakeAirflowFailException,
               AirflowSkipException=FakeAirflowSkipException)
    mod("airflow", DAG=FakeDAG)
    mod("airflow.exceptions", **exc)
    mod("airflow.timetables")
    mod("airflow.timetables.interval", CronDataIntervalTimetable=FakeTimetable)
    if flavour == "af3":
        FakeVariable.__module__ = "airflow.sdk.definitions.variable"
        mod("airflow.sdk", DAG=FakeDAG, BaseOperator=FakeBaseOperator, Variable=FakeVariable,
            BaseSensorOperator=FakeBaseSensorOperator)
        mod("airflow.providers")
        mod("airflow.providers.standard")
        mod("airflow.providers.standard.sensors")
        mod("airflow.providers.standard.sensors.external_task", ExternalTaskSensor=FakeExternalTaskSensor)
    else:
        FakeVariable.__module__ = "airflow.models"
        mod("airflow.models", BaseOperator=FakeBaseOperator, Variable=FakeVariable)
        mod("airflow.sensors")
        mod("airflow.sensors.base", BaseSensorOperator=FakeBaseSensorOperator)
        mod("airflow.sensors.external_task", ExternalTaskSensor=FakeExternalTaskSensor)
    sys.modules["pendulum"] = fake_pendulum()


def load(flavour: str) -> dict:
    install_fake_airflow(flavour)
    FakeDAG.dags = {}
    FakeVariable.parsing = True
    before = set(sys.modules)
    if DAGS not in sys.path:
        sys.path.insert(0, DAGS)
    for f in DAG_FILES:
        importlib.import_module(f[:-3])
    heavy = sorted(n for n in set(sys.modules) - before if n.startswith(HEAVY))
    check(not heavy, f"[{flavour}] heavy modules imported at parse time: {heavy}")
    FakeVariable.parsing = False
    return dict(FakeDAG.dags)


# ---- what the DAGs promise ------------------------------------------------------------------------------------
def check_dags(flavour: str, dags: dict, common) -> None:
    check(set(dags) == {"govind_nightly", "govind_monthly"}, f"[{flavour}] DAGs found: {sorted(dags)}")
    for d in dags.values():
        k = d.kwargs
        check(bool(k.get("doc_md")), f"{d.dag_id}: no doc_md")
        check("govind" in (k.get("tags") or []), f"{d.dag_id}: no govind tag")
        check(k.get("catchup") is True, f"{d.dag_id}: catchup must be on")
        check(k.get("max_active_runs") == 1, f"{d.dag_id}: max_active_runs must be 1")
        check(isinstance(k.get("schedule"), FakeTimetable) and k["schedule"].timezone == "Asia/Shanghai",
              f"{d.dag_id}: schedule must be a CronDataIntervalTimetable in Asia/Shanghai")
        sd = k.get("start_date")
        check(sd is not None and sd.tzinfo is not None and str(sd.tzinfo) == "Asia/Shanghai",
              f"{d.dag_id}: start_date must be aware, Asia/Shanghai")
        check(k.get("user_defined_macros") is common.MACROS, f"{d.dag_id}: must register govind_common.MACROS")
        for t in d.tasks.values():
            check(bool(t.doc_md), f"{d.dag_id}.{t.task_id}: no doc_md")
            check(t.owner == "govind", f"{d.dag_id}.{t.task_id}: owner must be govind")
            if t.mode is not None and isinstance(t, FakeBaseSensorOperator):
                check(t.mode == "reschedule", f"{d.dag_id}.{t.task_id}: sensors must reschedule (free the worker)")
                check(t.timeout is not None and t.timeout > 0, f"{d.dag_id}.{t.task_id}: sensor without a timeout")
    n = dags["govind_nightly"].tasks
    check(list(n) == ["wait_landing", "nightly"], f"nightly tasks: {list(n)}")
    check(n["nightly"].upstream == ["wait_landing"], "nightly order")
    check(n["wait_landing"].soft_fail is True, "wait_landing must soft-fail (skip) at its timeout")
    check(n["nightly"].trigger_rule == "none_failed", "nightly must run after a skipped wait_landing")
    check(n["nightly"].kwargs.get("retry_exponential_backoff") is True and n["nightly"].retries >= 1,
          "nightly: retries with exponential backoff")
    m = dags["govind_monthly"].tasks
    check(list(m) == ["wait_books_closed", "rate", "lists", "publish_draft", "publish_final", "notify"],
          f"monthly tasks: {list(m)}")
    for a, b in [("wait_books_closed", "rate"), ("rate", "lists"), ("lists", "publish_draft"),
                 ("publish_draft", "publish_final"), ("publish_final", "notify")]:
        check(m[b].upstream == [a], f"monthly: {a} >> {b}")
    w = m["wait_books_closed"].kwargs
    check(w.get("external_dag_id") == "govind_nightly" and w.get("external_task_id") in n,
          "wait_books_closed must wait for a task of govind_nightly")
    check(isinstance(m["publish_final"], common.GovindSensor), "publish_final must be a GovindSensor")
    # every govind task is a runner task with an argv (nothing runs govind another way)
    for d in dags.values():
        for t in d.tasks.values():
            if hasattr(t, "argv"):
                check(isinstance(t, (common.GovindOperator, common.GovindSensor)), f"{t.task_id}: argv on a non-govind task")


def check_behaviour(common, tmp: str) -> None:
    # the night and the month are local (Asia/Shanghai) dates: 03:00 in Shanghai is 19:00 UTC the day before
    start = dt.datetime(2026, 3, 14, 19, 0, tzinfo=dt.timezone.utc)
    check(common.local_day(start) == "2026-03-15", "local_day: 2026-03-14T19:00Z is the night of 2026-03-15")
    check(common.local_month(dt.datetime(2026, 2, 28, 20, 0, tzinfo=dt.timezone.utc)) == "2026-03",
          "local_month: 2026-02-28T20:00Z is in March in Shanghai")
    sh = ZoneInfo("Asia/Shanghai")
    # March's books close 3 days after 31 March: the nightly run of the night 2026-04-03 (03:00 local)
    check(common.books_close_night(dt.datetime(2026, 3, 1, 4, tzinfo=sh), 3) == dt.datetime(2026, 4, 3, 3, tzinfo=sh),
          "books_close_night(March, 3) = night 2026-04-03")
    check(common.books_close_night(dt.datetime(2026, 12, 1, 4, tzinfo=sh), 3) == dt.datetime(2027, 1, 3, 3, tzinfo=sh),
          "books_close_night(December, 3) = night 2027-01-03")
    check(common.books_close_night(dt.datetime(2026, 2, 1, 4, tzinfo=sh), 0) == dt.datetime(2026, 2, 28, 3, tzinfo=sh),
          "books_close_night(February, 0) = night 2026-02-28")
    FakeVariable.values = {"govind_books_close_days": "5"}
    check(common.nightly_run_of_books_close(dt.datetime(2026, 2, 28, 20, tzinfo=dt.timezone.utc))
          == dt.datetime(2026, 4, 5, 3, tzinfo=sh), "the monthly wait takes books_close_days from its Variable")

    # exit codes → outcomes
    def outcome_of(code, sensor=False):
        try:
            return "done" if common.raise_for(code, "t", "govind: why", sensor=sensor) else "not-yet"
        except FakeAirflowFailException as e:
            return "fail:" + str(e)
        except FakeAirflowException:
            return "retry"
    check(outcome_of(0) == "done", "exit 0 is done")
    q = outcome_of(3)
    check(q.startswith("fail:") and "ops.quality_checks" in q and "--allow-failed-checks" in q,
          "exit 3 fails without retry and says what to do")
    check(outcome_of(2).startswith("fail:"), "exit 2 (usage) is not retried")
    for c in (1, 10, 11, 137, -9):
        check(outcome_of(c) == "retry", f"exit {c} is retried")
    for c in (4, 5):
        check(outcome_of(c, sensor=True) == "not-yet", f"exit {c} is 'not yet' in a sensor")
        check(outcome_of(c).startswith("fail:"), f"exit {c} fails a plain task")

    # the landing sensor: <landing>/<district>/<night>/ with at least one file
    landing = os.path.join(tmp, "landing")
    for dist, night in [("110101", "2026-03-15"), ("110102", "2026-03-15"), ("110103", "2026-03-14")]:
        os.makedirs(os.path.join(landing, dist, night))
        with open(os.path.join(landing, dist, night, "cases.csv"), "w") as f:
            f.write("case_id\n")
    os.makedirs(os.path.join(landing, "110104", "2026-03-15"))  # an empty folder is not a delivery
    dag = FakeDAG("probe")
    with dag:
        s = common.LandingSensor(task_id="probe", landing=landing, night="2026-03-15", mode="reschedule", timeout=1)
    FakeVariable.values = {}
    check(s.poke({}) is True, "landing sensor: any district delivered, no district list")
    FakeVariable.values = {"govind_districts": "110101, 110102"}
    check(s.poke({}) is True, "landing sensor: every listed district delivered")
    FakeVariable.values = {"govind_districts": "110101,110103"}
    check(s.poke({}) is False, "landing sensor: 110103 has not delivered the night")
    FakeVariable.values = {"govind_districts": "110101,110104"}
    check(s.poke({}) is False, "landing sensor: an empty folder is not a delivery")
    s.night = "2026-03-16"
    FakeVariable.values = {}
    check(s.poke({}) is False, "landing sensor: nobody delivered")
    s.landing = "hdfs:///landing"
    check(s.poke({}) is True, "landing sensor: a non-local landing is not checked")

    # the local runner surfaces govind's exit code: a fake bin/govind exits with the code given as $2
    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, "bin"))
    fake = os.path.join(home, "bin", "govind")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\necho "args: $*"\necho "govind: exit $2 for $1" >&2\nexit "$2"\n')
    os.chmod(fake, 0o755)
    FakeVariable.values = {"govind_runner": "local", "govind_home": home}
    with dag:
        op = common.GovindOperator(task_id="probe_op", argv=["compute", "3"])
        sn = common.GovindSensor(task_id="probe_sensor", argv=["publish", "5"], mode="reschedule", timeout=1)
    try:
        op.execute({})
        check(False, "local runner: exit 3 must fail the task")
    except FakeAirflowException as e:
        check(isinstance(e, FakeAirflowFailException), "local runner: exit 3 must not be retried")
        check("exited 3 (FAILED_CHECKS)" in str(e) and "govind: exit 3 for compute" in str(e),
              f"local runner: the failure names the code and govind's line: {e}")
    check(sn.poke({}) is False, "local runner: publish --final exit 5 is 'not yet'")
    sn.argv = ["publish", "0"]
    check(sn.poke({}) is True, "local runner: exit 0 is done")
    op.argv = ["ingest", "10"]
    try:
        op.execute({})
        check(False, "local runner: exit 10 must raise")
    except FakeAirflowFailException:
        check(False, "local runner: exit 10 (lock held) must be retried")
    except FakeAirflowException:
        pass
    # the spark-submit runner: what it hands the provider's hook, and the exit code read from the hook's failure
    lib = os.path.join(home, "jobs", "target", "lib")
    os.makedirs(lib)
    for j in ("picocli-4.7.jar", "spark-core_2.13-4.0.jar", "scala-library-2.13.jar", "delta-spark_2.13.jar"):
        open(os.path.join(lib, j), "w").close()
    calls = []

    class FakeHook:
        fail_with = None

        def __init__(self, **kwargs):
            calls.append(kwargs)

        def submit(self, application=""):
            calls[-1]["application"] = application
            if FakeHook.fail_with:
                raise FakeAirflowException(FakeHook.fail_with)

    hooks = types.ModuleType("airflow.providers.apache.spark.hooks.spark_submit")
    hooks.SparkSubmitHook = FakeHook
    for name in ("airflow.providers", "airflow.providers.apache", "airflow.providers.apache.spark",
                 "airflow.providers.apache.spark.hooks"):
        sys.modules.setdefault(name, types.ModuleType(name)).__path__ = []
    sys.modules[hooks.__name__] = hooks
    FakeVariable.values = {"govind_home": home}  # spark-submit is the default runner
    op.argv = ["rate", "--period", "2026-03"]
    op.execute({})
    c = calls[-1]
    check(c.get("conn_id") == "spark_default" and c.get("java_class") == "org.govind.cli.Main",
          f"spark-submit: connection spark_default, main class org.govind.cli.Main: {c}")
    check(c.get("application_args") == ["rate", "--period", "2026-03", "--master", "submit"],
          f"spark-submit: govind's argv + --master submit: {c.get('application_args')}")
    check(sorted(os.path.basename(j) for j in c.get("jars", "").split(",")) == ["delta-spark_2.13.jar", "picocli-4.7.jar"],
          f"spark-submit: lib/*.jar without spark-/scala- jars: {c.get('jars')}")
    check(c.get("application") == os.path.join(home, "jobs", "target", "govind-jobs.jar"), "spark-submit: the thin jar")
    check(c.get("conf", {}).get("spark.sql.extensions") == "io.delta.sql.DeltaSparkSessionExtension", "spark-submit: Delta")
    FakeHook.fail_with = "Cannot execute: spark-submit --master yarn ... Error code is: 3."
    try:
        op.execute({})
        check(False, "spark-submit: exit 3 must fail")
    except FakeAirflowException as e:
        check(isinstance(e, FakeAirflowFailException) and "exited 3 (FAILED_CHECKS)" in str(e),
              f"spark-submit: 'Error code is: 3' is a quality failure, not retried: {e}")
    FakeHook.fail_with = "Cannot execute: spark-submit ... Error code is: 1. Kubernetes spark exit code is: 11"
    try:
        op.execute({})
        check(False, "spark-submit: a failure must raise")
    except FakeAirflowException as e:
        check(not isinstance(e, FakeAirflowFailException) and "exited 11 (CONFLICT)" in str(e),
              f"spark-submit on Kubernetes: the driver pod's exit code is used: {e}")
    FakeHook.fail_with = "ERROR : Driver driver-2026 badly exited with status FAILED"
    try:
        op.execute({})
        check(False, "spark-submit: a failure must raise")
    except FakeAirflowException as e:
        check(not isinstance(e, FakeAirflowFailException), f"spark-submit without an exit code: a crash, retried: {e}")
    sn.argv = ["publish", "--final"]
    FakeHook.fail_with = "Cannot execute: spark-submit ... Error code is: 4."
    check(sn.poke({}) is False, "spark-submit: publish --final exit 4 is 'not yet'")

    FakeVariable.values = {"govind_runner": "yarn", "govind_home": home}
    try:
        op.execute({})
        check(False, "an unknown runner must fail")
    except FakeAirflowException as e:
        check(isinstance(e, FakeAirflowFailException) and "govind_runner" in str(e), "an unknown runner fails, no retry")


def main() -> int:
    tmp = None
    if "--tmp" in sys.argv:
        tmp = sys.argv[sys.argv.index("--tmp") + 1]
        os.makedirs(tmp, exist_ok=True)
    tmp = os.path.abspath(tempfile.mkdtemp(prefix="govind-dags-", dir=tmp))
    sys.dont_write_bytecode = True  # leave no __pycache__ in airflow/dags
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    for f in sorted(os.listdir(DAGS)):
        if f.endswith(".py"):
            py_compile.compile(os.path.join(DAGS, f), cfile=os.path.join(tmp, f + "c"), doraise=True)

    tasks = None
    for flavour in ("af3", "af2"):
        dags = load(flavour)
        common = sys.modules["govind_common"]
        check_dags(flavour, dags, common)
        argv = {d.dag_id: {t.task_id: list(t.argv) for t in d.tasks.values() if hasattr(t, "argv")}
                for d in dags.values()}
        if tasks is None:
            tasks = argv
        else:
            check(argv == tasks, "the DAGs differ between the Airflow 2 and Airflow 3 imports")
        check_behaviour(common, os.path.join(tmp, flavour))

    out = {
        "tasks": tasks,
        "exit_codes": {str(c): v[0] for c, v in sorted(common.EXIT_CODES.items())},
        "outcomes": {str(c): v[1] for c, v in sorted(common.EXIT_CODES.items())},
        "samples": common.TEMPLATE_SAMPLES,
        "spark_submit_extra": common.SPARK_SUBMIT_EXTRA,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
