package org.govind.core;

/**
 * Every exit code the govind CLI returns, defined once. Each code means one thing, so a scheduler
 * (the Airflow DAGs) or a shell script can act on it without reading the message. The README's
 * "Exit codes" table is this enum in prose; {@code ExitCodeTest} checks the two agree.
 */
public enum ExitCode {
    OK(0, "成功", "success"),
    FAILED(1, "失败或拒绝执行（原因见错误信息）", "failed or refused (the message says why)"),
    USAGE(2, "命令行用法错误（未知选项、缺少参数、取值无效）", "usage error (unknown option, missing or invalid value)"),
    FAILED_CHECKS(3, "质量检查未通过（error 级）", "quality checks failed (error level)"),
    PENDING_OBJECTION(4, "尚有未裁决的异议，不能正式发布", "an objection is still pending: no final yet"),
    PUBLICITY_RUNNING(5, "公示期未满，不能正式发布", "the publicity period is still running: no final yet"),
    REPRODUCE_DIFFERS(6, "复现结果与已发布的不同", "reproduce found a difference from what was published"),
    SQL_REFUSED(7, "SQL 不是只读查询，已拒绝", "the SQL is not read-only: refused"),
    NO_PII_KEY(8, "没有个人信息加密密钥", "no personal-data key"),
    KEY_MISMATCH(9, "密钥与仓库记录的不一致", "the key does not match the warehouse's"),
    LOCKED(10, "仓库正由另一写入者使用（--no-wait）", "another writer holds the warehouse (--no-wait)"),
    CONFLICT(11, "另一进程同时修改了同一张表，请重新运行", "another process changed the same table: run again"),
    AUDIT_INCONSISTENT(12, "审计发现不一致", "the audit found an inconsistency"),
    FOREIGN_FOLDER(13, "输出目录中有不是 govind 发布的文件", "the output folder holds files govind did not publish"),
    ALREADY_FINAL(14, "该月已正式发布，不能再更改", "the month is already published as final: nothing may change"),
    AIRFLOW_AUTH(15, "Airflow 不接受用户名或密码，或该用户无权执行此操作", "Airflow refused the user name or password, or the user may not do this"),
    AIRFLOW_NOT_FOUND(16, "Airflow 上没有该 DAG 或该运行", "Airflow has no such DAG or run"),
    AIRFLOW_CONFLICT(17, "Airflow 上已存在：同一运行 id、同一逻辑日期的运行或未完成的回填", "already on Airflow: the run id, a run of that logical date, or a backfill still running"),
    AIRFLOW_UNREACHABLE(18, "Airflow 服务器无法访问或太慢（已有限次重试）", "the Airflow server is down or too slow (after bounded retries)"),
    AIRFLOW_REJECTED(19, "Airflow 拒绝了请求（原因见错误信息）", "Airflow refused the request (the message says why)"),
    AIRFLOW_RUN_FAILED(20, "airflow wait：运行以失败结束", "airflow wait: the run failed"),
    AIRFLOW_TIMEOUT(21, "airflow wait：超时仍未结束", "airflow wait: the run had not finished when the time ran out"),
    PORT_IN_USE(22, "serve 或 cluster start：端口已被占用（另一个 govind 进程或其他程序）", "serve or cluster start: the port is taken (another govind process or another program)");

    private final int code;
    private final String zh, en;

    ExitCode(int code, String zh, String en) { this.code = code; this.zh = zh; this.en = en; }

    /** The process exit status. */
    public int code() { return code; }

    /** What the code means, in the CLI's language. */
    public String meaning() { return Lang.t(zh, en); }

    public String zh() { return zh; }

    public String en() { return en; }

    /** The constant for a process exit status, or null. */
    public static ExitCode of(int code) {
        for (ExitCode c : values()) if (c.code == code) return c;
        return null;
    }
}
