package org.govind.schema;

/** Why a landing row (or a whole file) was quarantined. Codes are stable: analysts filter on them. */
public enum ReasonCode {
    unknown_enum("枚举值不在取值表内", "value not among the column's codes or labels"),
    bad_timestamp("时间无法解析（严格解析，不自动纠正）", "timestamp cannot be parsed (strict: 2026-04-31 is invalid)"),
    bad_date("日期无法解析", "date cannot be parsed"),
    bad_number("数值无法解析", "number cannot be parsed"),
    bad_boolean("布尔值无法解析", "boolean is not true/false/是/否/1/0"),
    bad_format("格式不符（长度或字符）", "value does not match the column's pattern"),
    out_of_range("数值超出允许范围", "number below the column's minimum"),
    negative_households("户数必须大于 0", "households must be > 0"),
    wrong_district("区县代码与目录不一致", "district_code differs from the landing folder"),
    missing_required("必填字段为空", "a required field is empty"),
    duplicate_key_in_file("同一文件内主键重复（全部隔离）", "key occurs more than once in one file (every such row)"),
    closed_before_reported("办结时间早于上报时间", "closed_at is before reported_at"),
    malformed_csv("CSV 行格式错误（字段数或引号）", "malformed CSV record (field count or quoting)"),
    undecodable_bytes("含无法解码的字节", "record contains bytes invalid in the file's encoding"),
    unknown_entity("未知的文件名（实体）", "file name is not a known entity"),
    conflicting_redelivery("重复报送但内容不同", "key already loaded with different values"),
    manifest_mismatch("与 manifest 的行数或校验和不符（整文件拒收）", "row count or sha256 differs from manifest.json (file rejected)"),
    missing_column("表头缺少必需列（整文件拒收）", "header lacks a required column (file rejected)"),
    unreadable_file("文件无法读取（整文件拒收）", "file cannot be read at all (file rejected)"),
    snapshot_out_of_order("快照早于已加载的快照（不改写历史）", "snapshot older than one already applied for the district"),
    manifest_invalid("同目录的 manifest.json 无法读取或格式无效（该目录所有文件整文件拒收）",
            "the folder's manifest.json cannot be read or is invalid (every file of the folder rejected)"),
    file_too_large("文件超过大小上限，未读取（整文件拒收，隔离区仅一行记录该文件）",
            "file over the size limit, not read (rejected; one quarantine row names the file)"),
    record_too_large("记录超过长度或字段数上限（在上限处截断，原文只保留开头）",
            "record longer than the record limit or with more fields than the field limit (cut there; raw text truncated)");

    public final String zh;
    public final String en;

    ReasonCode(String zh, String en) { this.zh = zh; this.en = en; }
}
