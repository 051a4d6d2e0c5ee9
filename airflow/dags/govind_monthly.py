"""### govind_monthly: rate, list and publish one month

Starts on the 1st of the next month (04:00 Asia/Shanghai; catch-up on, one run at a time) and first
waits until the nightly run of the month's books-close night (`cases.books_close_days` after month
end: Variable `govind_books_close_days`, default 3, which must match conf/rules.yaml) has passed its
`nightly` task.

| task | govind | outcome |
|---|---|---|
| `wait_books_closed` | (waits for `govind_nightly.nightly` of the books-close night) | reschedules until then; fails after 20 days |
| `rate` | `rate --period <month>` | 10/11/1/crash: retried; 3 (month failed checks), 14 (final): fail |
| `lists` | `lists --period <month>` | as rate |
| `publish_draft` | `publish --period <month> --issuer <Variable govind_issuer>` | the draft: starts the publicity period |
| `publish_final` | `publish --period <month> --final` | a sensor: exit 4 (objection pending) or 5 (publicity running) = not yet, asks again every 6 h; fails after 60 days |
| `notify` | — | logs that the month is final (placeholder for e-mail) |

Clearing `publish_draft` issues a NEW draft and restarts the publicity period; to retry only the
final, clear `publish_final` alone.
"""
import pendulum

from govind_common import (DAG, MACROS, MONTH, MONTHLY_CRON, OUT, TZ, CronDataIntervalTimetable,
                           ExternalTaskSensor, GovindOperator, GovindSensor, NotifyOperator, default_args,
                           lists_argv, nightly_run_of_books_close, publish_draft_argv, publish_final_argv,
                           rate_argv)

with DAG(
    dag_id="govind_monthly",
    description="govind: rate, lists, draft, final publication of one month",
    schedule=CronDataIntervalTimetable(MONTHLY_CRON, timezone=TZ),
    start_date=pendulum.datetime(2026, 1, 1, tz=TZ),  # the first month to publish; set before unpausing
    catchup=True,
    max_active_runs=1,
    default_args=default_args(),
    user_defined_macros=MACROS,
    tags=["govind", "monthly"],
    doc_md=__doc__,
) as dag:
    wait_books_closed = ExternalTaskSensor(
        task_id="wait_books_closed",
        external_dag_id="govind_nightly",
        external_task_id="nightly",
        execution_date_fn=nightly_run_of_books_close,
        allowed_states=["success"],
        mode="reschedule",
        poke_interval=30 * 60,
        timeout=20 * 24 * 60 * 60,
        doc_md="Waits for `govind_nightly.nightly` of the month's books-close night (month end + "
               "Variable `govind_books_close_days`). A failed night keeps it waiting: fix the night, "
               "and this run goes on.",
    )
    rate = GovindOperator(task_id="rate", argv=rate_argv(),
                          doc_md="`govind rate --period <month>`: star ratings of compounds and companies.")
    lists = GovindOperator(task_id="lists", argv=lists_argv(),
                           doc_md="`govind lists --period <month>`: the red and black lists per district.")
    publish_draft = GovindOperator(
        task_id="publish_draft", argv=publish_draft_argv(),
        doc_md="`govind publish --period <month> --issuer …`: the draft (公示稿) and its bulletin; "
               "starts the publicity period. Clearing it issues a new draft.")
    publish_final = GovindSensor(
        task_id="publish_final",
        argv=publish_final_argv(),
        mode="reschedule",
        poke_interval=6 * 60 * 60,
        timeout=60 * 24 * 60 * 60,
        doc_md="`govind publish --period <month> --final`, asked every 6 h: exit 4 (an objection is "
               "pending) or 5 (the publicity period runs) mean not yet; exit 0 means final.",
    )
    notify = NotifyOperator(
        task_id="notify",
        message="govind: " + MONTH + " 已正式发布 / is published as final: " + OUT + "/" + MONTH + "/",
        retries=0,
        doc_md="Logs that the month is final. Placeholder: replace by your e-mail or chat notifier.",
    )
    wait_books_closed >> rate >> lists >> publish_draft >> publish_final >> notify
