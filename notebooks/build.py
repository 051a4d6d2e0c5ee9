#!/usr/bin/env python3
"""Writes the analysts' notebooks (notebooks/*.ipynb) from the cells below.

The notebooks are the product; this script only keeps their source reviewable (a diff of a cell
here reads like a diff of SQL, a diff of an .ipynb does not). Edit a cell here, run
`python3 notebooks/build.py`, commit both. The written notebooks carry no outputs
(execution_count null): `govind notebook run` executes them.

Cells follow the notebook contract (kernel `govind-sql`): markdown, or one SQL statement optionally
preceded by magic lines (%chart, %limit), or magic lines only. The first code cell is tagged
`parameters` and holds %period and %district. Only the json module is used.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

KERNELSPEC = {"name": "govind-sql", "display_name": "govind SQL (Spark)", "language": "sql"}
PARAMETERS = "%period 2026-03\n%district 全部"

# Targets used by notebooks 02 and 06. They are the defaults of conf/rules.yaml (the notebook
# contract exposes no rules parameters): edit both here and in the rules file if they change.
# The expect-empty checks of notebook 06 fail when the month was rated with other values.


def md(text):
    return ("markdown", text.strip("\n"), [])


def sql(text, *tags):
    return ("code", text.strip("\n"), list(tags))


def params():
    return sql(PARAMETERS, "parameters")


# District filter and "the district to drill into" (the given one, else the lowest on-time rate).
DISTRICT = "(:district = '全部' OR district_code = :district)"
PICK = """pick AS (   -- the district to look at: :district, or with 全部 the lowest on-time rate of the month
  SELECT district_code
  FROM gold.case_indicators
  WHERE period = :period AND level = 'district'
    AND (:district = '全部' OR district_code = :district)
  ORDER BY on_time_rate ASC NULLS LAST, district_code
  LIMIT 1
)"""

# ---------------------------------------------------------------------------------------------
NB01 = [
    md("""
# 01 月度概览 / Monthly overview

本月各区县的主要指标一览：受理量、办结率、按期办结率、满意率、覆盖率、超期未结，以及近 12 个月的走势。
数据来自 `gold.case_indicators` 与 `gold.coverage_indicators`（口径见指标目录 *Indicator catalogue*，
比率均为未舍入的小数，分母为 0 时为空）。最后一节用共享视图 `case_flags` 从明细重算按期办结率，与 gold 表核对。

*Headline figures per district for the month, 12-month trends, and a recomputation of the on-time
rate from the shared views compared with gold.*

运行 / run: `bin/govind notebook run 01_月度概览 --period 2026-03 [--district 370829]`
"""),
    params(),
    md("""
## 1. 本月各区县主要指标 / Headline figures

一行一个区县，最后一行为全市（`all`）。百分比保留一位小数；`—`/null 表示分母为 0。
`visit_coverage_pct` 为走访覆盖率，`branch_coverage_pct` 为小区党组织覆盖率，`overdue_open` 为截至月末（T）超期未结件数。
"""),
    sql(f"""
SELECT coalesce(c.district_code, '全市') AS district_code,
       c.received,
       round(100 * c.closure_rate, 1)       AS closure_pct,
       c.due,
       round(100 * c.on_time_rate, 1)       AS on_time_pct,
       round(100 * c.satisfaction_rate, 1)  AS satisfaction_pct,
       c.overdue_open,
       round(c.median_handle_hours, 1)      AS median_handle_hours,
       round(100 * v.visit_coverage, 1)     AS visit_coverage_pct,
       round(100 * v.branch_coverage, 1)    AS branch_coverage_pct,
       round(100 * v.property_coverage, 1)  AS property_coverage_pct,
       round(100 * v.points_participation, 1) AS points_participation_pct
FROM gold.case_indicators c
LEFT JOIN gold.coverage_indicators v
  ON v.period = c.period AND v.level = c.level AND v.unit_id = c.unit_id
WHERE c.period = :period
  AND (c.level = 'district' AND (:district = '全部' OR c.district_code = :district)
       OR c.level = 'all' AND :district = '全部')
ORDER BY c.level = 'all', c.district_code
"""),
    md("""
### 按期办结率（区县）/ On-time rate by district

下表即 CI 与 `gold.case_indicators`（level = district）逐区县核对的数字（单元格标签 `on-time-by-district`），
总是列出全部区县，不受 `%district` 影响。
"""),
    sql("""
SELECT district_code, on_time_rate
FROM gold.case_indicators
WHERE period = :period AND level = 'district'
ORDER BY district_code
""", "on-time-by-district"),
    sql(f"""
%chart bar x=district_code y=on_time_pct,satisfaction_pct,closure_pct title=本月各区县 按期办结率 / 满意率 / 办结率（%）
SELECT district_code,
       round(100 * on_time_rate, 1)      AS on_time_pct,
       round(100 * satisfaction_rate, 1) AS satisfaction_pct,
       round(100 * closure_rate, 1)      AS closure_pct
FROM gold.case_indicators
WHERE period = :period AND level = 'district' AND {DISTRICT}
ORDER BY district_code
"""),
    md("""
## 2. 近 12 个月走势 / 12-month trends

从 `:period_12`（本月前 11 个月）到本月。仓库里没有的月份不出现（演示仓库只有几个月）。
"""),
    sql(f"""
%chart line x=period y=on_time_rate series=district_code title=按期办结率 近12个月（区县）
SELECT period, district_code, on_time_rate
FROM gold.case_indicators
WHERE level = 'district' AND period BETWEEN :period_12 AND :period AND {DISTRICT}
ORDER BY period, district_code
"""),
    sql(f"""
%chart line x=period y=satisfaction_rate series=district_code title=满意率 近12个月（区县）
SELECT period, district_code, satisfaction_rate
FROM gold.case_indicators
WHERE level = 'district' AND period BETWEEN :period_12 AND :period AND {DISTRICT}
ORDER BY period, district_code
"""),
    sql(f"""
%chart line x=period y=received series=district_code title=受理量 近12个月（区县）
SELECT period, district_code, received
FROM gold.case_indicators
WHERE level = 'district' AND period BETWEEN :period_12 AND :period AND {DISTRICT}
ORDER BY period, district_code
"""),
    sql(f"""
%chart line x=period y=overdue_open series=district_code title=超期未结 近12个月（区县）
SELECT period, district_code, overdue_open
FROM gold.case_indicators
WHERE level = 'district' AND period BETWEEN :period_12 AND :period AND {DISTRICT}
ORDER BY period, district_code
"""),
    sql(f"""
%chart line x=period y=visit_coverage,branch_coverage,points_participation title=全市覆盖率 近12个月
SELECT period, visit_coverage, branch_coverage, points_participation
FROM gold.coverage_indicators
WHERE level = 'all' AND period BETWEEN :period_12 AND :period
ORDER BY period
"""),
    md("""
### 与上月比较 / Month on month

本月减上月（百分点）；上月没有数据时为空。
"""),
    sql(f"""
SELECT c.district_code,
       c.received, p.received AS prev_received,
       round(100 * (c.on_time_rate - p.on_time_rate), 1)           AS on_time_change_pp,
       round(100 * (c.satisfaction_rate - p.satisfaction_rate), 1) AS satisfaction_change_pp,
       c.overdue_open - p.overdue_open                             AS overdue_open_change
FROM gold.case_indicators c
LEFT JOIN gold.case_indicators p
  ON p.period = :prev_period AND p.level = 'district' AND p.unit_id = c.unit_id
WHERE c.period = :period AND c.level = 'district' AND (:district = '全部' OR c.district_code = :district)
ORDER BY c.district_code
"""),
    md("""
## 3. 核对：从明细重算 / Cross-check from the shared views

`%period` 建立了本月的共享视图：`cases_at_t`（结账日口径下每件诉求的版本，已剔除无效件）和 `case_flags`
（每件诉求的指标条件，布尔值）。下面按区县重算到期数、按期办结数、按期办结率、受理数和超期未结数，
与 `gold.case_indicators` 比较，**只列出不一致的区县**——应当为空（单元格标签 `expect-empty`）。
"""),
    sql("""
WITH recomputed AS (
  SELECT district_code,
         count_if(is_received)                     AS received,
         count_if(is_due)                          AS due,
         count_if(is_due AND is_closed_on_time)    AS on_time,
         count_if(is_overdue_open)                 AS overdue_open
  FROM case_flags
  GROUP BY district_code
),
published AS (
  SELECT district_code, received, due, on_time, on_time_rate, overdue_open
  FROM gold.case_indicators
  WHERE period = :period AND level = 'district'
)
SELECT coalesce(g.district_code, r.district_code) AS district_code,
       g.due, r.due AS due_recomputed, g.on_time, r.on_time AS on_time_recomputed,
       g.on_time_rate, try_divide(r.on_time, r.due) AS on_time_rate_recomputed,
       g.received, r.received AS received_recomputed, g.overdue_open, r.overdue_open AS overdue_open_recomputed
FROM published g
FULL OUTER JOIN recomputed r ON r.district_code = g.district_code
WHERE coalesce(g.due, 0) <> coalesce(r.due, 0)
   OR coalesce(g.on_time, 0) <> coalesce(r.on_time, 0)
   OR NOT (g.on_time_rate <=> try_divide(r.on_time, r.due))
   OR coalesce(g.received, 0) <> coalesce(r.received, 0)
   OR coalesce(g.overdue_open, 0) <> coalesce(r.overdue_open, 0)
""", "expect-empty"),
    md("""
全市一行（`all`）应等于各区县之和（计数列）；不一致的列在此列出，应当为空。
"""),
    sql("""
SELECT a.received, d.received AS sum_received, a.due, d.due AS sum_due,
       a.on_time, d.on_time AS sum_on_time, a.overdue_open, d.overdue_open AS sum_overdue_open
FROM (SELECT * FROM gold.case_indicators WHERE period = :period AND level = 'all') a
CROSS JOIN (SELECT sum(received) AS received, sum(due) AS due, sum(on_time) AS on_time,
                   sum(overdue_open) AS overdue_open
            FROM gold.case_indicators WHERE period = :period AND level = 'district') d
WHERE a.received <> d.received OR a.due <> d.due OR a.on_time <> d.on_time OR a.overdue_open <> d.overdue_open
""", "expect-empty"),
    md("""
## 看什么 / What to look at

- **按期办结率最低的区县**（第 1 节）及其 12 个月走势：是一次性下滑还是持续走低？下一步用 `02_区县钻取` 看到社区和小区。
- **超期未结**在上升的区县：积压在哪一级分流、积压了多久，见 `03_诉求积压与超期`。
- 满意率与按期办结率走势背离的区县（办得快但不满意），以及走访覆盖率明显偏低的区县。
- 第 3 节的两个核对单元格必须为空；不为空说明 gold 表与明细不一致（例如规则文件或数据在计算后又变了），先重跑 `govind compute` 再看。
"""),
]

# ---------------------------------------------------------------------------------------------
NB02 = [
    md("""
# 02 区县钻取 / District drill-down

一个区县 → 各社区 → 各小区，找出离目标最远的单位。`%district` 指定区县；为 `全部` 时自动选本月
**按期办结率最低**的区县（每个单元格开头的 `pick` 子查询）。

目标值取自规则文件 `conf/rules.yaml` 的默认值（此处写成常量，改规则文件时请同步修改）：
按期办结率 95%、满意率 90%（上红榜的门槛），70% / 60% 为黑榜线；走访覆盖率目标 25%（`compound_stars.visit_target`）。
小区的综合得分即评星得分（`gold.compound_stars`，0–100，★2 线为 60 分）。

*One district → communities → compounds, with the units furthest below target.*
"""),
    params(),
    md("""
## 1. 本区县与全市 / The district against the city
"""),
    sql(f"""
WITH {PICK}
SELECT c.level, c.unit_id, c.received, c.due,
       round(100 * c.on_time_rate, 1)      AS on_time_pct,
       round(100 * c.satisfaction_rate, 1) AS satisfaction_pct,
       c.overdue_open,
       round(100 * v.visit_coverage, 1)    AS visit_coverage_pct,
       round(100 * v.branch_coverage, 1)   AS branch_coverage_pct,
       v.compounds
FROM gold.case_indicators c
JOIN gold.coverage_indicators v ON v.period = c.period AND v.level = c.level AND v.unit_id = c.unit_id
WHERE c.period = :period
  AND (c.level = 'all' OR c.level = 'district' AND c.district_code IN (SELECT district_code FROM pick))
ORDER BY c.level = 'all'
"""),
    md("""
## 2. 社区 / Communities

每个社区的主要指标与目标差距（`*_gap_pp` = 目标 − 实际，百分点；正数表示低于目标）。
按“按期办结率差距 + 满意率差距 + 走访覆盖率差距”的合计降序，最需要关注的社区在最前。
"""),
    sql(f"""
WITH {PICK},
communities AS (
  SELECT c.unit_id, c.community_code, c.received, c.due, c.on_time_rate, c.satisfaction_rate, c.answered,
         c.overdue_open, v.visit_coverage, v.branch_coverage, v.compounds
  FROM gold.case_indicators c
  JOIN gold.coverage_indicators v ON v.period = c.period AND v.level = c.level AND v.unit_id = c.unit_id
  WHERE c.period = :period AND c.level = 'community' AND c.district_code IN (SELECT district_code FROM pick)
)
SELECT unit_id, compounds, received, due,
       round(100 * on_time_rate, 1)                              AS on_time_pct,
       round(100 * greatest(0, 0.95 - on_time_rate), 1)          AS on_time_gap_pp,
       answered,
       round(100 * satisfaction_rate, 1)                         AS satisfaction_pct,
       round(100 * greatest(0, 0.90 - satisfaction_rate), 1)     AS satisfaction_gap_pp,
       round(100 * visit_coverage, 1)                            AS visit_coverage_pct,
       round(100 * greatest(0, 0.25 - visit_coverage), 1)        AS visit_gap_pp,
       overdue_open
FROM communities
ORDER BY coalesce(greatest(0, 0.95 - on_time_rate), 0) + coalesce(greatest(0, 0.90 - satisfaction_rate), 0)
         + coalesce(greatest(0, 0.25 - visit_coverage), 0) DESC, unit_id
"""),
    sql(f"""
%chart bar x=community_code y=on_time_pct,satisfaction_pct title=各社区 按期办结率 / 满意率（%，目标 95 / 90）
WITH {PICK}
SELECT community_code, round(100 * on_time_rate, 1) AS on_time_pct, round(100 * satisfaction_rate, 1) AS satisfaction_pct
FROM gold.case_indicators
WHERE period = :period AND level = 'community' AND district_code IN (SELECT district_code FROM pick)
ORDER BY community_code
"""),
    md("""
## 3. 小区：离目标最远的 20 个 / The 20 compounds furthest below target

评星得分从低到高。`lost_*` 为各分项丢掉的分数 = 权重 × (1 − 分项值)，权重为规则文件默认值
（党组织 20、走访 20、按期 25、满意 25、业委会 10），可以直接看出差在哪里。
按期与满意分项是**收缩后**的比率（小样本向全区均值靠拢，见 `06_评星与红黑榜解读`）。
"""),
    sql(f"""
WITH {PICK}
SELECT s.unit_id, s.community_code, round(s.score, 1) AS score, s.star, s.prev_star,
       round(20 * (1 - s.comp_branch), 1)       AS lost_branch,
       round(20 * (1 - s.comp_visits), 1)       AS lost_visits,
       round(25 * (1 - s.comp_on_time), 1)      AS lost_on_time,
       round(25 * (1 - s.comp_satisfaction), 1) AS lost_satisfaction,
       round(10 * (1 - s.comp_committee), 1)    AS lost_committee,
       s.due, s.on_time, round(100 * s.on_time_rate, 1) AS on_time_pct,
       s.answered, round(100 * s.satisfaction_rate, 1) AS satisfaction_pct,
       round(100 * s.visit_coverage, 1) AS visit_coverage_pct
FROM gold.compound_stars s
WHERE s.period = :period AND s.district_code IN (SELECT district_code FROM pick)
ORDER BY s.score ASC, s.unit_id
LIMIT 20
"""),
    sql(f"""
%chart bar x=star y=compounds title=本区县小区星级分布
WITH {PICK}
SELECT star, count(*) AS compounds
FROM gold.compound_stars
WHERE period = :period AND district_code IN (SELECT district_code FROM pick)
GROUP BY star
ORDER BY star
"""),
    md("""
### 超期未结最多的小区 / Compounds with the most overdue open cases
"""),
    sql(f"""
WITH {PICK}
SELECT unit_id, community_code, received, due, on_time, round(100 * on_time_rate, 1) AS on_time_pct, overdue_open,
       round(median_handle_hours, 1) AS median_handle_hours
FROM gold.case_indicators
WHERE period = :period AND level = 'compound' AND district_code IN (SELECT district_code FROM pick)
  AND overdue_open > 0
ORDER BY overdue_open DESC, unit_id
LIMIT 20
"""),
    md("""
## 4. 核对 / Cross-check

从共享视图 `case_flags` 按社区重算本区县的到期、按期办结、超期未结、有效回访与满意数，与
`gold.case_indicators`（level = community）比较，只列出不一致的社区——应当为空。
"""),
    sql(f"""
WITH {PICK},
recomputed AS (
  SELECT district_code, community_code,
         count_if(is_due) AS due, count_if(is_due AND is_closed_on_time) AS on_time,
         count_if(is_overdue_open) AS overdue_open,
         count_if(is_answered) AS answered, count_if(is_answered AND is_satisfied) AS satisfied
  FROM case_flags
  WHERE district_code IN (SELECT district_code FROM pick)
  GROUP BY district_code, community_code
),
published AS (
  SELECT district_code, community_code, due, on_time, overdue_open, answered, satisfied
  FROM gold.case_indicators
  WHERE period = :period AND level = 'community' AND district_code IN (SELECT district_code FROM pick)
)
SELECT coalesce(g.community_code, r.community_code) AS community_code,
       g.due, r.due AS due_recomputed, g.on_time, r.on_time AS on_time_recomputed,
       g.overdue_open, r.overdue_open AS overdue_open_recomputed,
       g.answered, r.answered AS answered_recomputed, g.satisfied, r.satisfied AS satisfied_recomputed
FROM published g
FULL OUTER JOIN recomputed r ON r.district_code = g.district_code AND r.community_code = g.community_code
WHERE coalesce(g.due, 0) <> coalesce(r.due, 0) OR coalesce(g.on_time, 0) <> coalesce(r.on_time, 0)
   OR coalesce(g.overdue_open, 0) <> coalesce(r.overdue_open, 0)
   OR coalesce(g.answered, 0) <> coalesce(r.answered, 0) OR coalesce(g.satisfied, 0) <> coalesce(r.satisfied, 0)
""", "expect-empty"),
    md("""
## 看什么 / What to look at

- 第 2 节排在最前的社区：差距来自按期、满意还是走访？
- 第 3 节得分最低的小区：`lost_*` 最大的一列就是下一步工作的方向（没有党组织、走访不足、超期多……）。
  `due` 很小的小区，按期分项主要由全区均值决定（收缩），单看原始比率会误判。
- 星级分布中 ★1 的小区数，和上月（`prev_star`）比较是否在增加。
- 核对单元格必须为空。
"""),
]

# ---------------------------------------------------------------------------------------------
OPEN_AT_T = "(closed_at IS NULL OR closed_at >= :period_end)"
NB03 = [
    md("""
# 03 诉求积压与超期 / Backlog and overdue cases

截至月末 T（`:period_end` 之前）仍未办结的诉求、其中已超期的、积压时长分布、办理时长中位数，按分流层级
（社区 community / 街道 street / 部门 department；未分流为空）。

明细来自 `%period` 建立的共享视图 `cases_at_t`（按结账日口径选定的版本，已剔除无效件；T 之后的办结视为 T 时未结）
和 `case_flags`。不含任何个人信息（诉求人姓名、电话不在这些视图中）。

*Open and overdue cases at T, ageing, median handling hours, by dispatch level.*
"""),
    params(),
    md("""
## 1. 按分流层级的积压 / Backlog by dispatch level

`open_at_t`：T 时未办结；`overdue_open`：已过办理时限仍未办结（同 `gold.case_indicators.overdue_open`）；
`no_due_at`：尚未分流、没有办理时限的未结件。
"""),
    sql(f"""
SELECT coalesce(dispatch_level, '（未分流）') AS dispatch_level,
       count(*)                                     AS open_at_t,
       count_if(due_at < :period_end)               AS overdue_open,
       count_if(due_at IS NULL)                     AS no_due_at,
       round(100 * count_if(due_at < :period_end) / count(*), 1) AS overdue_share_pct,
       round(percentile((unix_micros(:period_end) - unix_micros(reported_at)) / 3600000000.0, 0.5), 1) AS median_age_hours
FROM cases_at_t
WHERE {OPEN_AT_T} AND {DISTRICT}
GROUP BY dispatch_level
ORDER BY dispatch_level
"""),
    sql(f"""
%chart bar x=district_code y=open_at_t,overdue_open title=各区县 T 时未结与超期未结
SELECT district_code,
       count(*)                       AS open_at_t,
       count_if(due_at < :period_end) AS overdue_open
FROM cases_at_t
WHERE {OPEN_AT_T} AND {DISTRICT}
GROUP BY district_code
ORDER BY district_code
"""),
    md("""
## 2. 积压时长 / Ageing

未结件自上报起到 T 的天数分段，按分流层级。
"""),
    sql(f"""
%chart bar x=age_bucket y=open_cases series=dispatch_level title=未结诉求积压天数分布（按分流层级）
WITH aged AS (
  SELECT coalesce(dispatch_level, '（未分流）') AS dispatch_level,
         (unix_micros(:period_end) - unix_micros(reported_at)) / 86400000000.0 AS age_days
  FROM cases_at_t
  WHERE {OPEN_AT_T} AND {DISTRICT}
)
SELECT CASE WHEN age_days < 3 THEN '1: <3天' WHEN age_days < 7 THEN '2: 3–7天' WHEN age_days < 15 THEN '3: 7–15天'
            WHEN age_days < 30 THEN '4: 15–30天' WHEN age_days < 60 THEN '5: 30–60天' ELSE '6: ≥60天' END AS age_bucket,
       dispatch_level,
       count(*) AS open_cases
FROM aged
GROUP BY 1, 2
ORDER BY 1, 2
"""),
    md("""
### 超期多久 / How long overdue

超期未结件自办理时限到 T 的天数分段。
"""),
    sql(f"""
WITH late AS (
  SELECT coalesce(dispatch_level, '（未分流）') AS dispatch_level,
         (unix_micros(:period_end) - unix_micros(due_at)) / 86400000000.0 AS days_overdue
  FROM cases_at_t
  WHERE due_at < :period_end AND {OPEN_AT_T} AND {DISTRICT}
)
SELECT dispatch_level,
       count_if(days_overdue < 3)                         AS under_3_days,
       count_if(days_overdue >= 3 AND days_overdue < 7)   AS days_3_to_7,
       count_if(days_overdue >= 7 AND days_overdue < 30)  AS days_7_to_30,
       count_if(days_overdue >= 30)                       AS days_30_plus,
       count(*)                                           AS overdue_open,
       round(max(days_overdue), 1)                        AS max_days_overdue
FROM late
GROUP BY dispatch_level
ORDER BY dispatch_level
"""),
    md("""
## 3. 办理时长 / Handling hours

本月办结的诉求（`closed_at` 在本月）从上报到办结的小时数，按分流层级和类别的中位数（与 gold 的
`median_handle_hours` 同一口径：精确中位数，线性插值）。
"""),
    sql(f"""
%chart bar x=dispatch_level y=median_handle_hours title=本月办结诉求 办理时长中位数（小时，按分流层级）
SELECT coalesce(dispatch_level, '（未分流）') AS dispatch_level,
       count(*) AS closed_in_m,
       round(percentile((unix_micros(closed_at) - unix_micros(reported_at)) / 3600000000.0, 0.5), 1) AS median_handle_hours,
       round(percentile((unix_micros(closed_at) - unix_micros(reported_at)) / 3600000000.0, 0.9), 1) AS p90_handle_hours,
       count_if(closed_at <= due_at) AS closed_on_time
FROM cases_at_t
WHERE closed_at >= :period_start AND closed_at < :period_end AND {DISTRICT}
GROUP BY dispatch_level
ORDER BY dispatch_level
"""),
    sql(f"""
SELECT category,
       count_if(closed_at >= :period_start AND closed_at < :period_end) AS closed_in_m,
       round(percentile(CASE WHEN closed_at >= :period_start AND closed_at < :period_end
                             THEN (unix_micros(closed_at) - unix_micros(reported_at)) / 3600000000.0 END, 0.5), 1) AS median_handle_hours,
       count_if({OPEN_AT_T}) AS open_at_t,
       count_if(due_at < :period_end AND {OPEN_AT_T}) AS overdue_open
FROM cases_at_t
WHERE {DISTRICT}
GROUP BY category
ORDER BY overdue_open DESC, category
"""),
    md("""
## 4. 超期最久的诉求 / The longest-overdue cases

前 50 件，只有工单编号和单位编号，没有个人信息。
"""),
    sql(f"""
%limit 50
SELECT district_code, case_id, community_code, compound_id, category, source,
       coalesce(dispatch_level, '（未分流）') AS dispatch_level, status, reported_at, due_at,
       round((unix_micros(:period_end) - unix_micros(due_at)) / 86400000000.0, 1) AS days_overdue
FROM cases_at_t
WHERE due_at < :period_end AND {OPEN_AT_T} AND {DISTRICT}
ORDER BY days_overdue DESC, district_code, case_id
LIMIT 50
"""),
    md("""
## 5. 走势 / Trend

各区县超期未结件数与办理时长中位数，近 12 个月（`gold.case_indicators`）。
"""),
    sql(f"""
%chart line x=period y=median_handle_hours series=district_code title=办理时长中位数 近12个月（小时）
SELECT period, district_code, round(median_handle_hours, 1) AS median_handle_hours, overdue_open
FROM gold.case_indicators
WHERE level = 'district' AND period BETWEEN :period_12 AND :period AND {DISTRICT}
ORDER BY period, district_code
"""),
    md("""
## 6. 核对 / Cross-check

从 `cases_at_t` 重算各区县的超期未结件数和办理时长中位数，与 `gold.case_indicators`（level = district）比较，
只列出不一致的区县——应当为空。
"""),
    sql("""
WITH recomputed AS (
  SELECT district_code,
         count_if(due_at < :period_end AND (closed_at IS NULL OR closed_at >= :period_end)) AS overdue_open,
         percentile(CASE WHEN closed_at >= :period_start AND closed_at < :period_end
                         THEN (unix_micros(closed_at) - unix_micros(reported_at)) / 3600000000.0 END, 0.5) AS median_handle_hours
  FROM cases_at_t
  GROUP BY district_code
)
SELECT g.district_code, g.overdue_open, r.overdue_open AS overdue_open_recomputed,
       g.median_handle_hours, r.median_handle_hours AS median_handle_hours_recomputed
FROM (SELECT * FROM gold.case_indicators WHERE period = :period AND level = 'district') g
FULL OUTER JOIN recomputed r ON r.district_code = g.district_code
WHERE (coalesce(g.overdue_open, 0) <> coalesce(r.overdue_open, 0)
       OR NOT (abs(g.median_handle_hours - r.median_handle_hours) < 1e-9
               OR (g.median_handle_hours IS NULL AND r.median_handle_hours IS NULL)))
""", "expect-empty"),
    md("""
## 看什么 / What to look at

- 超期占比高的分流层级（第 1 节）：是部门件拖得久，还是社区件压得多？
- 积压 ≥ 30 天的未结件（第 2 节）和超期最久的工单（第 4 节）：逐件督办的名单。
- 大量“未分流”的未结件说明派单环节卡住了（也会触发数据质量检查 `no_due_at`）。
- 办理时长中位数在上升的区县（第 5 节）。
- 核对单元格必须为空。
"""),
]

# ---------------------------------------------------------------------------------------------
# The holder whose entries are shown: the top of the chosen district's leaderboard.
HOLDER = """holder AS (   -- the holder to look at: on a district leaderboard of :district, with the most entries
                  -- that do not count (redemptions, reversals, reversed awards), then the best rank
  SELECT l.holder_key, l.district_code
  FROM gold.points_leaderboard l
  LEFT JOIN (SELECT district_code, holder_id, count_if(NOT counts) AS not_counted
             FROM points_in_m GROUP BY district_code, holder_id) p
    ON p.district_code = l.district_code AND p.holder_id = l.holder_key
  WHERE l.period = :period AND l.scope_level = 'district'
    AND (:district = '全部' OR l.district_code = :district)
  ORDER BY coalesce(p.not_counted, 0) DESC, l.rank, l.district_code, l.holder_key
  LIMIT 1
)"""
NB04 = [
    md("""
# 04 积分排行核查 / Points leaderboard audit

`gold.points_leaderboard` 的排行榜，以及一个积分人净积分背后的每一条流水（冲正、兑换）。

**个人信息**：只出现脱敏后的姓名（`display_name` / `holder_name`，如 `王*`）和加密哈希的标识
（`holder_key` = `holder_id` 的 keyed hash，`approver_id` 同样已哈希）；接入时已处理，仓库里没有明文姓名和电话。
`holder_key` 只在分析环境里使用，不要写进对外发布的材料。

净积分口径：本月发生的流水，不含兑换（redemption），不含被冲正的流水，也不含冲正流水本身
（共享视图 `points_in_m` 的 `counts` 列）。

*Leaderboards with the entries behind a holder's total (reversals, redemptions), masked.*
"""),
    params(),
    md("""
## 1. 区县排行榜（前 10）/ District leaderboards (top 10)
"""),
    sql(f"""
SELECT scope_id, rank, display_name, holder_type, net_points, holder_key
FROM gold.points_leaderboard
WHERE period = :period AND scope_level = 'district' AND rank <= 10 AND {DISTRICT}
ORDER BY scope_id, rank, holder_key
"""),
    sql(f"""
%chart bar x=scope_id y=holders,top_points title=各区县 上榜人数与第一名净积分
SELECT scope_id, count(*) AS holders, max(net_points) AS top_points
FROM gold.points_leaderboard
WHERE period = :period AND scope_level = 'district' AND {DISTRICT}
GROUP BY scope_id
ORDER BY scope_id
"""),
    md("""
### 社区排行榜第一名 / No. 1 of every community
"""),
    sql(f"""
SELECT scope_id, display_name, holder_type, net_points, holder_key
FROM gold.points_leaderboard
WHERE period = :period AND scope_level = 'community' AND rank = 1 AND {DISTRICT}
ORDER BY scope_id, holder_key
"""),
    md("""
## 2. 一个积分人的流水 / The entries behind one holder's total

默认看所选区县（`全部` 时为所有区县）榜上、本月不计入的流水（兑换、冲正、被冲正）最多的积分人；要看别人，把 `holder` 子查询换成
`SELECT '<holder_key>' AS holder_key, '<区县代码>' AS district_code`。

`counts` = 计入净积分；`cancelled_by` = 冲正它的流水号（冲正可能发生在以后的月份）。
"""),
    sql(f"""
WITH {HOLDER},
reversals AS (
  SELECT district_code, reversal_of, min(entry_id) AS reversal_entry_id, min(occurred_at) AS reversed_at
  FROM silver.points
  WHERE reversal_of IS NOT NULL
  GROUP BY district_code, reversal_of
)
SELECT e.entry_id, e.occurred_at, e.community_code, e.holder_name, e.scheme, e.activity, e.points,
       e.reversal_of, r.reversal_entry_id AS cancelled_by, r.reversed_at, e.counts,
       CASE WHEN e.activity = 'redemption' THEN '兑换，不计入'
            WHEN e.reversal_of IS NOT NULL THEN '冲正流水，不计入'
            WHEN r.reversal_entry_id IS NOT NULL THEN '已被冲正，不计入'
            ELSE '计入' END AS note
FROM points_in_m e
JOIN holder h ON h.holder_key = e.holder_id AND h.district_code = e.district_code
LEFT JOIN reversals r ON r.district_code = e.district_code AND r.reversal_of = e.entry_id
ORDER BY e.occurred_at, e.entry_id
"""),
    sql(f"""
WITH {HOLDER}
SELECT CASE WHEN e.activity = 'redemption' THEN '兑换 redemption'
            WHEN e.reversal_of IS NOT NULL THEN '冲正 reversal'
            WHEN NOT e.counts THEN '被冲正 reversed'
            ELSE '计入 counted' END AS kind,
       count(*) AS entries, sum(e.points) AS points,
       sum(CASE WHEN e.counts THEN e.points ELSE 0 END) AS net_points
FROM points_in_m e
JOIN holder h ON h.holder_key = e.holder_id AND h.district_code = e.district_code
GROUP BY 1
ORDER BY 1
"""),
    md("""
## 3. 冲正与兑换概况 / Reversals and redemptions

本月各区县的奖励、扣分、兑换、冲正流水条数与积分，以及被冲正（无论冲正何时发生）的奖励。
"""),
    sql(f"""
SELECT district_code,
       count_if(counts)                                             AS counted_entries,
       sum(CASE WHEN counts THEN points ELSE 0 END)                 AS net_points,
       count_if(activity = 'redemption')                            AS redemptions,
       sum(CASE WHEN activity = 'redemption' THEN points ELSE 0 END) AS redeemed_points,
       count_if(reversal_of IS NOT NULL)                            AS reversal_entries,
       count_if(NOT counts AND activity <> 'redemption' AND reversal_of IS NULL) AS reversed_entries,
       sum(CASE WHEN NOT counts AND activity <> 'redemption' AND reversal_of IS NULL THEN points ELSE 0 END) AS reversed_points
FROM points_in_m
WHERE {DISTRICT}
GROUP BY district_code
ORDER BY district_code
"""),
    md("""
被冲正流水最多的积分人（前 20）：值得复核的是同一人反复被冲正的奖励。
"""),
    sql(f"""
%limit 20
SELECT district_code, holder_id AS holder_key, max_by(holder_name, occurred_at) AS display_name,
       count_if(NOT counts AND activity <> 'redemption' AND reversal_of IS NULL) AS reversed_entries,
       sum(CASE WHEN NOT counts AND activity <> 'redemption' AND reversal_of IS NULL THEN points ELSE 0 END) AS reversed_points,
       count_if(activity = 'redemption') AS redemptions,
       sum(CASE WHEN counts THEN points ELSE 0 END) AS net_points
FROM points_in_m
WHERE {DISTRICT}
GROUP BY district_code, holder_id
HAVING count_if(NOT counts AND activity <> 'redemption' AND reversal_of IS NULL) > 0
ORDER BY reversed_entries DESC, reversed_points DESC, district_code, holder_key
LIMIT 20
"""),
    md("""
## 4. 核对：榜单积分 = 流水之和 / Check: leaderboard total = sum of the entries

对榜单上的每个人（区县和社区两级），从 `points_in_m` 重算其在该范围内的净积分，只列出与
`gold.points_leaderboard.net_points` 不一致的——应当为空。
"""),
    sql("""
WITH entries AS (
  SELECT 'district' AS scope_level, district_code AS scope_id, holder_id,
         sum(CASE WHEN counts THEN points ELSE 0 END) AS net_points
  FROM points_in_m
  GROUP BY district_code, holder_id
  UNION ALL
  SELECT 'community' AS scope_level, concat(district_code, ':', community_code) AS scope_id, holder_id,
         sum(CASE WHEN counts THEN points ELSE 0 END) AS net_points
  FROM points_in_m
  WHERE community_code IS NOT NULL
  GROUP BY district_code, community_code, holder_id
)
SELECT l.scope_level, l.scope_id, l.rank, l.holder_key, l.net_points, e.net_points AS sum_of_entries
FROM gold.points_leaderboard l
LEFT JOIN entries e
  ON e.scope_level = l.scope_level AND e.scope_id = l.scope_id AND e.holder_id = l.holder_key
WHERE l.period = :period
  AND NOT (l.net_points <=> CAST(e.net_points AS DECIMAL(18, 2)))
""", "expect-empty"),
    md("""
## 看什么 / What to look at

- 榜首的流水（第 2 节）：积分是否集中在少数几天、少数事项？被冲正的奖励多不多？
- 被冲正最多的积分人（第 3 节）：反复录入又冲正，可能是录入错误，也可能需要复核审核人。
- 兑换不影响净积分（排名按本月获得的积分，不按余额）。
- 核对单元格必须为空；不为空说明榜单计算后又有冲正接入（冲正不分月份地抵消原流水），重算该月即可。
"""),
]

# ---------------------------------------------------------------------------------------------
NB05 = [
    md("""
# 05 数据质量与完整性 / Data quality and completeness

各区县每晚的导出是否到齐（`ops.ingest_audit`）、隔离行的原因与走势（`ops.quarantine`）、整体拒收的文件，
以及本月的数据质量检查结果（`ops.quality_checks`，`govind compute` 计算指标时写入）。

`ops.quarantine.raw_text` 中的个人信息已脱敏；这里不显示 `raw_text`。

*Exports missing per district and night, quarantine reasons over time, rejected files, quality checks.*
"""),
    params(),
    md("""
## 1. 本月的数据质量检查 / This month's quality checks

`error` 级别的发现会让 `govind compute` 以非零退出（除非 `--allow-failed-checks`）。
"""),
    sql(f"""
SELECT district, check, level, count(*) AS findings, sum(value) AS total_value,
       min_by(message, subject) AS first_message
FROM ops.quality_checks
WHERE period = :period AND (:district = '全部' OR district = :district OR district = 'all')
GROUP BY district, check, level
ORDER BY level, check, district
"""),
    sql("""
SELECT period, status, errors, warnings, computed_at
FROM ops.compute_runs
WHERE period BETWEEN :period_12 AND :period
ORDER BY period
"""),
    md("""
## 2. 导出是否到齐 / Exports per district and night

本月每个区县每晚收到的文件数、实体数；`entities_arrived` 少于所有实体数的晚上即有导出缺失。
实体清单取自仓库中曾成功接入过的实体（`ops.ingest_audit`）。
"""),
    sql(f"""
WITH nights AS (
  SELECT explode(sequence(to_date(concat(:period, '-01')), last_day(to_date(concat(:period, '-01'))), INTERVAL 1 DAY)) AS night
),
districts AS (
  SELECT DISTINCT district FROM ops.ingest_audit WHERE status IN ('loaded', 'partial') AND {DISTRICT.replace('district_code', 'district')}
),
known AS (   -- the landing entities: every entity that has ever been loaded
  SELECT DISTINCT entity FROM ops.ingest_audit WHERE status IN ('loaded', 'partial')
),
entities AS (
  SELECT count(*) AS n FROM known
),
arrived AS (   -- a file of a known entity arrived (whatever its status, as the quality check counts it)
  SELECT district, export_date, count(*) AS files, count(DISTINCT entity) AS entities
  FROM ops.ingest_audit
  WHERE entity IN (SELECT entity FROM known)
    AND export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
  GROUP BY district, export_date
)
SELECT d.district,
       count(*)                                             AS nights,
       count_if(coalesce(a.entities, 0) = e.n)              AS nights_complete,
       count_if(coalesce(a.entities, 0) > 0 AND a.entities < e.n) AS nights_partial,
       count_if(a.entities IS NULL)                         AS nights_without_export,
       coalesce(sum(a.files), 0)                            AS files,
       array_join(array_sort(collect_list(CASE WHEN coalesce(a.entities, 0) < e.n THEN CAST(n.night AS STRING) END)), '、') AS incomplete_nights
FROM districts d
CROSS JOIN nights n
CROSS JOIN entities e
LEFT JOIN arrived a ON a.district = d.district AND a.export_date = n.night
GROUP BY d.district
ORDER BY d.district
"""),
    sql(f"""
%chart line x=export_date y=files series=district title=每晚接入的文件数（本月，按区县）
SELECT export_date, district, count(*) AS files
FROM ops.ingest_audit
WHERE export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
  AND (:district = '全部' OR district = :district)
GROUP BY export_date, district
ORDER BY export_date, district
"""),
    md("""
### 文件状态 / File status

本月各区县的文件按状态：`loaded` 已加载，`partial` 部分行隔离，`rejected` 整体拒收，`duplicate_file` 重复文件（已接入过，跳过）。
"""),
    sql(f"""
SELECT district, status, count(*) AS files, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded,
       sum(rows_quarantined) AS rows_quarantined, sum(rows_unchanged) AS rows_unchanged
FROM ops.ingest_audit
WHERE export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
  AND (:district = '全部' OR district = :district)
GROUP BY district, status
ORDER BY district, status
"""),
    md("""
### 拒收与跳过的文件 / Rejected and skipped files

近 12 个月整体拒收或作为重复文件跳过的文件，及其原因。
"""),
    sql(f"""
%limit 100
SELECT export_date, district, entity, source_file, status, encoding, rows_read, message
FROM ops.ingest_audit
WHERE status IN ('rejected', 'duplicate_file')
  AND (export_date IS NULL OR export_date BETWEEN to_date(concat(:period_12, '-01')) AND last_day(to_date(concat(:period, '-01'))))
  AND (:district = '全部' OR district = :district)
ORDER BY export_date DESC, district, source_file
"""),
    md("""
## 3. 隔离原因 / Quarantine reasons

一行隔离记录可能有多个原因代码（见 `schemas/DATA_DICTIONARY.md#reason-codes`）。先看本月按实体与原因，再看近 12 个月的走势。
"""),
    sql(f"""
SELECT entity, reason, count(*) AS rows_quarantined, count(DISTINCT district) AS districts,
       min_by(message, export_date) AS example_message
FROM (SELECT entity, district, export_date, message, explode(reasons) AS reason
      FROM ops.quarantine
      WHERE export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
        AND (:district = '全部' OR district = :district))
GROUP BY entity, reason
ORDER BY rows_quarantined DESC, entity, reason
"""),
    sql(f"""
%chart line x=month y=rows_quarantined series=reason title=隔离行数 近12个月（按原因）
SELECT date_format(export_date, 'yyyy-MM') AS month, reason, count(*) AS rows_quarantined
FROM (SELECT export_date, explode(reasons) AS reason
      FROM ops.quarantine
      WHERE export_date BETWEEN to_date(concat(:period_12, '-01')) AND last_day(to_date(concat(:period, '-01')))
        AND (:district = '全部' OR district = :district))
GROUP BY 1, 2
ORDER BY 1, 2
"""),
    sql(f"""
%chart line x=export_date y=rows_quarantined series=district title=本月每晚隔离行数（按区县）
SELECT export_date, district, count(*) AS rows_quarantined
FROM ops.quarantine
WHERE export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
  AND (:district = '全部' OR district = :district)
GROUP BY export_date, district
ORDER BY export_date, district
"""),
    md("""
## 4. 核对 / Cross-checks

(a) 每个文件读入行数 = 入库行数 + 隔离行数，且审计表记的隔离行数等于隔离区里该文件的行数（本月）；
(b) 质量检查 `exports_missing` 的发现与第 2 节从审计表算出的“不完整的晚上”一致（在有导出的日期范围内）。
都只列出不一致的行——应当为空。
"""),
    sql("""
WITH q AS (   -- by file and content: two files with the same bytes share a sha256
  SELECT source_file, file_sha256, count(*) AS quarantined
  FROM ops.quarantine
  WHERE export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
  GROUP BY source_file, file_sha256
)
SELECT a.source_file, a.status, a.rows_read, a.rows_loaded, a.rows_quarantined, q.quarantined AS rows_in_quarantine
FROM ops.ingest_audit a
LEFT JOIN q ON q.source_file = a.source_file AND q.file_sha256 = a.file_sha256
WHERE a.export_date BETWEEN to_date(concat(:period, '-01')) AND last_day(to_date(concat(:period, '-01')))
  AND a.status IN ('loaded', 'partial')
  AND (a.rows_read <> a.rows_loaded + a.rows_quarantined OR a.rows_quarantined <> coalesce(q.quarantined, 0))
""", "expect-empty"),
    sql("""
WITH bounds AS (   -- the nights exports are expected for, as the quality check sees them
  SELECT greatest(to_date(concat(:period, '-01')), min(export_date)) AS first_night,
         least(last_day(to_date(concat(:period, '-01'))), max(export_date)) AS last_night
  FROM ops.ingest_audit WHERE export_date IS NOT NULL
),
nights AS (
  SELECT explode(sequence(first_night, last_night, INTERVAL 1 DAY)) AS night FROM bounds WHERE first_night <= last_night
),
districts AS (SELECT DISTINCT district FROM ops.ingest_audit WHERE status IN ('loaded', 'partial')),
known AS (SELECT DISTINCT entity FROM ops.ingest_audit WHERE status IN ('loaded', 'partial')),
entities AS (SELECT count(*) AS n FROM known),
arrived AS (
  SELECT district, export_date, count(DISTINCT entity) AS entities
  FROM ops.ingest_audit
  WHERE entity IN (SELECT entity FROM known)
  GROUP BY district, export_date
),
incomplete AS (
  SELECT d.district, CAST(n.night AS STRING) AS night
  FROM districts d CROSS JOIN nights n CROSS JOIN entities e
  LEFT JOIN arrived a ON a.district = d.district AND a.export_date = n.night
  WHERE coalesce(a.entities, 0) < e.n
),
found AS (
  SELECT district, subject AS night FROM ops.quality_checks WHERE period = :period AND check = 'exports_missing'
)
SELECT coalesce(i.district, f.district) AS district, coalesce(i.night, f.night) AS night,
       i.night IS NOT NULL AS incomplete_in_audit, f.night IS NOT NULL AS reported_by_check
FROM incomplete i
FULL OUTER JOIN found f ON f.district = i.district AND f.night = i.night
WHERE i.night IS NULL OR f.night IS NULL
""", "expect-empty"),
    md("""
## 看什么 / What to look at

- 第 1 节中的 `error`（例如区县连续多晚未报送 `silent_district`）：当月指标可能不完整，发布前先补数。
- 第 2 节 `nights_without_export` 或 `nights_partial` 大于 0 的区县：去问对应区县的导出任务；补送的文件接入后重算该月。
- 隔离原因（第 3 节）中占比最大的原因，以及走势中突然出现的新原因——通常是某个区县的导出格式变了。
- 拒收文件的 `message` 说明了原因（编码、表头、文件过大……）。
- 两个核对单元格必须为空。
"""),
]

# ---------------------------------------------------------------------------------------------
COMPANY = f"""company AS (   -- the company to look at: the lowest score among rated companies of :district (全部: all)
  SELECT company_id
  FROM gold.company_ratings
  WHERE period = :period AND rated AND {DISTRICT}
  ORDER BY score ASC, company_id
  LIMIT 1
)"""
COMPOUND = f"""compound AS (   -- the compound to look at: the lowest score of :district (全部: all)
  SELECT unit_id
  FROM gold.compound_stars
  WHERE period = :period AND {DISTRICT}
  ORDER BY score ASC, unit_id
  LIMIT 1
)"""
NB06 = [
    md("""
# 06 评星与红黑榜解读 / Reading a star rating and the red/black list

一家物业企业（`gold.company_ratings`）或一个小区（`gold.compound_stars`）本月的得分、各分项、收缩（shrinkage）
和红黑榜规则（`gold.red_black_list`，规则定义见 `schemas/lists/list_rules.yaml`），与 `govind explain` 的说明一致：

    bin/govind explain --period 2026-03 --company 370829:PC001
    bin/govind explain --period 2026-03 --compound 370829:C0001

默认看所选区县（`全部` 时为全市）**得分最低**的已评级企业和小区；要看别的单位，把 `company` / `compound`
子查询换成 `SELECT '<区县代码>:<编号>' AS company_id`（或 `AS unit_id`）。

权重与门槛为 `conf/rules.yaml` 的默认值（企业 按期 35 / 满意 35 / 投诉 20 / 党组织 10；小区 党组织 20 / 走访 20 /
按期 25 / 满意 25 / 业委会 10；星级线 90 / 80 / 70 / 60；每月最多升 1 星）。最后的核对单元格会在本月评级所用
权重与此不同时失败。

*A company's or compound's score, components, shrinkage and list rules for the month.*
"""),
    params(),
    md("""
## 1. 本月红黑榜 / This month's lists

各区县红榜、黑榜、不参评的企业数，以及榜单本身（`reasons` 为上榜理由）。
"""),
    sql(f"""
%chart bar x=district_code y=red,black,not_rated title=各区县 红榜 / 黑榜 / 不参评 企业数
SELECT district_code, count_if(list = 'red') AS red, count_if(list = 'black') AS black,
       count_if(list = 'not_rated') AS not_rated
FROM gold.red_black_list
WHERE period = :period AND {DISTRICT}
GROUP BY district_code
ORDER BY district_code
"""),
    sql(f"""
SELECT district_code, list, position, company_id, company_name, star, round(score, 2) AS score, rules_fired, reasons
FROM gold.red_black_list
WHERE period = :period AND list <> 'not_rated' AND {DISTRICT}
ORDER BY district_code, list DESC, position
"""),
    md("""
## 2. 一家物业企业 / One property company

### 得分与分项 / Score and components

`weighted` = 权重 × 分项值；四项之和即 `score`（0–100），再按星级线得原始星级，经动态调整得星级。
"""),
    sql(f"""
WITH {COMPANY},
r AS (SELECT * FROM gold.company_ratings WHERE period = :period AND company_id IN (SELECT company_id FROM company))
SELECT company_id, company_name, component, weight, round(value, 4) AS value, round(weight * value, 2) AS weighted,
       round(score, 4) AS score, raw_star, prev_star, star, adjustment
FROM r
LATERAL VIEW inline(array(
  named_struct('n', 1, 'component', '按期办结 on_time',      'weight', 35D, 'value', comp_on_time),
  named_struct('n', 2, 'component', '满意度 satisfaction',   'weight', 35D, 'value', comp_satisfaction),
  named_struct('n', 3, 'component', '投诉 complaints',       'weight', 20D, 'value', comp_complaints),
  named_struct('n', 4, 'component', '党组织 party_org',      'weight', 10D, 'value', comp_party_org))) c AS n, component, weight, value
ORDER BY n
"""),
    md("""
### 收缩 / Shrinkage

收缩后的比率 = (k + M·p0) / (n + M)，M 为收缩权重（`shrinkage.M`），p0 为全区企业合计的比率。
`n` 小的企业向 p0 靠拢，不会因一两件诉求大起大落。投诉分项 = max(0, 1 − 每千户受理数 / 20)。
"""),
    sql(f"""
WITH {COMPANY},
r AS (SELECT * FROM gold.company_ratings WHERE period = :period AND company_id IN (SELECT company_id FROM company))
SELECT measure, k, n, round(raw_rate, 4) AS raw_rate, round(p0, 4) AS p0, m AS shrinkage_m,
       round((k + m * p0) / (n + m), 4) AS shrunk_recomputed, round(shrunk, 4) AS shrunk_stored
FROM r
LATERAL VIEW inline(array(
  named_struct('measure', '按期办结率 on-time', 'k', on_time, 'n', due, 'raw_rate', on_time_rate,
               'p0', on_time_p0, 'm', shrinkage_m, 'shrunk', on_time_shrunk),
  named_struct('measure', '满意率 satisfaction', 'k', satisfied, 'n', answered, 'raw_rate', satisfaction_rate,
               'p0', satisfaction_p0, 'm', shrinkage_m, 'shrunk', satisfaction_shrunk))) s AS measure, k, n, raw_rate, p0, m, shrunk
"""),
    sql(f"""
WITH {COMPANY}
SELECT company_id, compounds_managed, households, received, round(complaints_per_1000, 2) AS complaints_per_1000,
       round(comp_complaints, 4) AS comp_complaints, has_party_org, due, on_time, overdue_open, answered, satisfied
FROM gold.company_ratings
WHERE period = :period AND company_id IN (SELECT company_id FROM company)
"""),
    md("""
### 红黑榜规则逐条 / Every list rule for this company

每条规则（`schemas/lists/list_rules.yaml`）的本企业取值与门槛（`conf/rules.yaml`），`holds` 表示条件成立。
参评条件：在管小区 ≥ 1 且当月到期诉求 ≥ 5（N1 / N2）。黑榜：B1–B4 任一成立；红榜：B1–B4 都不成立且红榜条件全部成立
（每区县至多 10 家）。最后一行是本企业实际的榜单条目。
"""),
    sql(f"""
WITH {COMPANY},
r AS (SELECT * FROM gold.company_ratings WHERE period = :period AND company_id IN (SELECT company_id FROM company)),
conditions AS (
  SELECT c.* FROM r
  LATERAL VIEW inline(array(
    named_struct('n', 1, 'code', 'N1',  'rule', '在管小区 ≥ 1（否则不参评）',       'value', double(compounds_managed), 'op', '>=', 'threshold', 1D),
    named_struct('n', 2, 'code', 'N2',  'rule', '当月到期诉求 ≥ 5（否则不参评）',   'value', double(due),               'op', '>=', 'threshold', 5D),
    named_struct('n', 3, 'code', 'B1',  'rule', '按期办结率 < 70%',                'value', on_time_rate,              'op', '<',  'threshold', 0.70D),
    named_struct('n', 4, 'code', 'B2',  'rule', '满意率 < 60%（且有效回访 ≥ 5）',   'value', IF(answered >= 5, satisfaction_rate, NULL), 'op', '<', 'threshold', 0.60D),
    named_struct('n', 5, 'code', 'B3',  'rule', '超期未结 ≥ 10',                   'value', double(overdue_open),      'op', '>=', 'threshold', 10D),
    named_struct('n', 6, 'code', 'B4',  'rule', '调整后星级 ≤ 1',                  'value', double(star),              'op', '<=', 'threshold', 1D),
    named_struct('n', 7, 'code', 'R.star',              'rule', '红榜：星级 ≥ 4',             'value', double(star),      'op', '>=', 'threshold', 4D),
    named_struct('n', 8, 'code', 'R.on_time_rate',      'rule', '红榜：按期办结率 ≥ 95%',     'value', on_time_rate,      'op', '>=', 'threshold', 0.95D),
    named_struct('n', 9, 'code', 'R.satisfaction_rate', 'rule', '红榜：满意率 ≥ 90%（且有效回访 ≥ 5）', 'value', IF(answered >= 5, satisfaction_rate, NULL), 'op', '>=', 'threshold', 0.90D)
  )) c AS n, code, rule, value, op, threshold
)
SELECT code, rule, round(value, 4) AS value, op, threshold,
       coalesce(CASE op WHEN '<' THEN value < threshold WHEN '<=' THEN value <= threshold
                        WHEN '>=' THEN value >= threshold END, false) AS holds
FROM conditions
ORDER BY n
"""),
    md("""
本企业实际的榜单条目（`reason_details` 为结构化理由：规则代码、取值、门槛）：
"""),
    sql(f"""
WITH {COMPANY}
SELECT c.company_id, coalesce(l.list, '未上榜（参评但红黑榜条件均不成立）') AS list, l.position, l.rules_fired, l.reasons
FROM company c
LEFT JOIN gold.red_black_list l ON l.period = :period AND l.company_id = c.company_id
"""),
    sql(f"""
WITH {COMPANY}
SELECT l.company_id, l.list, l.position, d.code, round(d.value, 4) AS value, d.threshold
FROM gold.red_black_list l
LATERAL VIEW OUTER explode(l.reason_details) x AS d
WHERE l.period = :period AND l.company_id IN (SELECT company_id FROM company)
"""),
    md("""
### 近 12 个月 / 12 months of this company
"""),
    sql(f"""
%chart line x=period y=score title=该企业得分 近12个月
WITH {COMPANY}
SELECT r.period, round(r.score, 2) AS score, r.raw_star, r.star, r.adjustment, l.list
FROM gold.company_ratings r
LEFT JOIN gold.red_black_list l ON l.period = r.period AND l.company_id = r.company_id
WHERE r.period BETWEEN :period_12 AND :period AND r.company_id IN (SELECT company_id FROM company)
ORDER BY r.period
"""),
    md("""
## 3. 一个小区 / One compound

小区的五个分项与权重；按期与满意分项为收缩后的比率，p0 为全区（`gold.case_indicators` 区县一行）的比率；
走访分项 = min(1, 走访覆盖率 / 25%)；业委会分项：有业委会且党员比例 ≥ 50% 得 1，有业委会但比例不足 0.5，没有 0。
"""),
    sql(f"""
WITH {COMPOUND},
s AS (SELECT * FROM gold.compound_stars WHERE period = :period AND unit_id IN (SELECT unit_id FROM compound))
SELECT unit_id, component, weight, round(value, 4) AS value, round(weight * value, 2) AS weighted, detail,
       round(score, 4) AS score, raw_star, prev_star, star, adjustment
FROM s
LATERAL VIEW inline(array(
  named_struct('n', 1, 'component', '党组织 branch',          'weight', 20D, 'value', comp_branch,
               'detail', concat('有有效党组织：', CAST(has_branch AS STRING))),
  named_struct('n', 2, 'component', '入户走访 visits',         'weight', 20D, 'value', comp_visits,
               'detail', concat('走访覆盖率 ', coalesce(concat(format_number(100 * visit_coverage, 1), '%'), '—'), ' / 25%')),
  named_struct('n', 3, 'component', '按期办结 on_time',        'weight', 25D, 'value', comp_on_time,
               'detail', concat('(', on_time, ' + ', shrinkage_m, '×', format_number(on_time_p0, 4), ') / (', due, ' + ', shrinkage_m, ')')),
  named_struct('n', 4, 'component', '满意度 satisfaction',     'weight', 25D, 'value', comp_satisfaction,
               'detail', concat('(', satisfied, ' + ', shrinkage_m, '×', format_number(satisfaction_p0, 4), ') / (', answered, ' + ', shrinkage_m, ')')),
  named_struct('n', 5, 'component', '业委会 committee',        'weight', 10D, 'value', comp_committee,
               'detail', concat('有业委会：', CAST(has_committee AS STRING), '；党员比例 ',
                                coalesce(concat(format_number(100 * committee_party_share, 1), '%'), '—'))))) c AS n, component, weight, value, detail
ORDER BY n
"""),
    md("""
## 4. 核对 / Cross-checks

从表中存下的各个数值重算，只列出不一致的单位——都应当为空：
(a) 收缩公式与分项：`on_time_shrunk = (on_time + M·p0) / (due + M)`（满意同理），分项值等于收缩后比率，
小区的 p0 等于全区按期办结率 / 满意率（区县无数据时取全市，再无则 0）；
(b) 得分 = Σ 权重 × 分项（权重为上面的默认值），星级 = min(原始星级, 上月星级 + 1)；
(c) 黑榜名单与规则一致：参评企业中 B1–B4 任一成立的，正是黑榜上的企业。
"""),
    sql("""
SELECT s.unit_id, s.on_time_shrunk, s.satisfaction_shrunk, s.on_time_p0, d.on_time_rate AS district_on_time_rate,
       s.satisfaction_p0, d.satisfaction_rate AS district_satisfaction_rate
FROM gold.compound_stars s
LEFT JOIN gold.case_indicators d ON d.period = s.period AND d.level = 'district' AND d.unit_id = s.district_code
LEFT JOIN gold.case_indicators a ON a.period = s.period AND a.level = 'all'
WHERE s.period = :period
  AND (abs(s.on_time_shrunk - (s.on_time + s.shrinkage_m * s.on_time_p0) / (s.due + s.shrinkage_m)) > 1e-9
    OR abs(s.satisfaction_shrunk - (s.satisfied + s.shrinkage_m * s.satisfaction_p0) / (s.answered + s.shrinkage_m)) > 1e-9
    OR abs(s.comp_on_time - s.on_time_shrunk) > 1e-12 OR abs(s.comp_satisfaction - s.satisfaction_shrunk) > 1e-12
    OR abs(s.on_time_p0 - coalesce(d.on_time_rate, a.on_time_rate, 0)) > 1e-9
    OR abs(s.satisfaction_p0 - coalesce(d.satisfaction_rate, a.satisfaction_rate, 0)) > 1e-9)
""", "expect-empty"),
    sql("""
SELECT 'compound' AS kind, unit_id AS id, score,
       20 * comp_branch + 20 * comp_visits + 25 * comp_on_time + 25 * comp_satisfaction + 10 * comp_committee AS score_recomputed,
       raw_star, prev_star, star
FROM gold.compound_stars
WHERE period = :period
  AND (abs(score - (20 * comp_branch + 20 * comp_visits + 25 * comp_on_time + 25 * comp_satisfaction + 10 * comp_committee)) > 1e-6
       OR raw_star <> CASE WHEN score >= 90 THEN 5 WHEN score >= 80 THEN 4 WHEN score >= 70 THEN 3 WHEN score >= 60 THEN 2 ELSE 1 END
       OR star <> least(raw_star, coalesce(prev_star + 1, raw_star)))
UNION ALL
SELECT 'company', company_id, score,
       35 * comp_on_time + 35 * comp_satisfaction + 20 * comp_complaints + 10 * comp_party_org,
       raw_star, prev_star, star
FROM gold.company_ratings
WHERE period = :period AND rated
  AND (abs(score - (35 * comp_on_time + 35 * comp_satisfaction + 20 * comp_complaints + 10 * comp_party_org)) > 1e-6
       OR raw_star <> CASE WHEN score >= 90 THEN 5 WHEN score >= 80 THEN 4 WHEN score >= 70 THEN 3 WHEN score >= 60 THEN 2 ELSE 1 END
       OR star <> least(raw_star, coalesce(prev_star + 1, raw_star))
       OR abs(on_time_shrunk - (on_time + shrinkage_m * on_time_p0) / (due + shrinkage_m)) > 1e-9)
""", "expect-empty"),
    sql("""
WITH expected AS (
  SELECT company_id,
         rated AND due >= 5
           AND (coalesce(on_time_rate < 0.70, false)
                OR (answered >= 5 AND coalesce(satisfaction_rate < 0.60, false))
                OR overdue_open >= 10
                OR coalesce(star <= 1, false)) AS black
  FROM gold.company_ratings
  WHERE period = :period
)
SELECT e.company_id, e.black AS black_by_rules, l.list AS listed
FROM expected e
LEFT JOIN gold.red_black_list l ON l.period = :period AND l.company_id = e.company_id
WHERE e.black <> coalesce(l.list = 'black', false)
""", "expect-empty"),
    md("""
## 看什么 / What to look at

- 黑榜企业的 `reasons`：是哪条规则（B1 按期、B2 满意、B3 超期积压、B4 星级）让它上榜，差多少。
- 分项表中 `weighted` 最低的一项就是失分最多的地方；收缩表中 `n` 很小时，收缩后的比率主要由全区均值 p0 决定。
- `adjustment = capped`：本月原始星级更高，但每月最多升一星；`first`：上月未评级。
- 企业近 12 个月的得分与榜单：一次上榜还是反复上榜。
- 核对单元格必须为空；(b) 不为空多半是本月用了不同的规则文件（权重、星级线），用 `govind explain` 看所用规则文件的哈希。
"""),
]

NOTEBOOKS = {
    "01_月度概览.ipynb": NB01,
    "02_区县钻取.ipynb": NB02,
    "03_诉求积压与超期.ipynb": NB03,
    "04_积分排行核查.ipynb": NB04,
    "05_数据质量与完整性.ipynb": NB05,
    "06_评星与红黑榜解读.ipynb": NB06,
}


def lines(text):
    """Jupyter's source form: a list of lines, each but the last ending in a newline."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def notebook(stem, cells):
    out = []
    for i, (kind, text, tags) in enumerate(cells, 1):
        cell = {"cell_type": kind, "id": f"{stem}-{i:02d}", "metadata": {"tags": tags} if tags else {},
                "source": lines(text)}
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        out.append(cell)
    first_code = next(c for c in out if c["cell_type"] == "code")
    assert first_code["metadata"].get("tags") == ["parameters"], stem + ": the first code cell must be the parameters cell"
    return {
        "cells": out,
        "metadata": {
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "sql", "file_extension": ".sql", "mimetype": "application/sql"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main(argv):
    check = "--check" in argv
    stale = []
    for name, cells in NOTEBOOKS.items():
        text = json.dumps(notebook(name.split("_")[0], cells), ensure_ascii=False, indent=1) + "\n"
        path = os.path.join(HERE, name)
        if check:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("out of date (run python3 notebooks/build.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
