-- 基线：不用保学，分析员直接用 DuckDB 读交付 CSV，算截至 D 的预警、指标与观察名单。
-- ./baoxue bench 在同一次测量里计时这个脚本（全量重算），与每晚增量对比。
-- 占位符：${attendance} 等（每类交付文件的 glob 列表，由 bench 填入）、${as_of}（D）。只适用于规范格式的交付（bench 用 generate --clean 生成）。
CREATE OR REPLACE TEMP TABLE p AS
SELECT DATE '${as_of}' AS as_of,
       make_date(CASE WHEN month(DATE '${as_of}') >= 9 THEN year(DATE '${as_of}') ELSE year(DATE '${as_of}') - 1 END, 9, 1) AS year_start,
       CASE WHEN month(DATE '${as_of}') >= 9 OR month(DATE '${as_of}') = 1
            THEN make_date(CASE WHEN month(DATE '${as_of}') >= 9 THEN year(DATE '${as_of}') ELSE year(DATE '${as_of}') - 1 END, 9, 1)
            ELSE make_date(year(DATE '${as_of}'), 2, 1) END AS term_start;

-- 交付日期取自文件夹名；同一键以最晚的交付为准
CREATE OR REPLACE TEMP TABLE att AS
SELECT no, school, date, CASE WHEN status IN ('出勤', '迟到', '早退') THEN 'present' WHEN status IN ('病假', '事假') THEN 'excused' ELSE 'unexcused' END AS cls
FROM (
  SELECT "全国学籍号" AS no, "学校标识码" AS school, CAST("日期" AS DATE) AS date, "状态" AS status,
         CAST(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1) AS DATE) AS delivery, filename
  FROM read_csv(${attendance}, filename = true, all_varchar = true, header = true))
WHERE delivery <= (SELECT as_of FROM p) AND date <= (SELECT as_of FROM p)
  AND status IN ('出勤', '迟到', '早退', '病假', '事假', '旷课')
QUALIFY row_number() OVER (PARTITION BY no, date ORDER BY delivery DESC, filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE cal AS
WITH days AS (SELECT CAST(unnest(generate_series((SELECT year_start FROM p), (SELECT as_of FROM p), INTERVAL 1 DAY)) AS DATE) AS date),
delivered AS (
  SELECT CAST("日期" AS DATE) AS date, "是否上课日" IN ('是', '1', 'Y', 'true') AS school_day
  FROM read_csv(${calendar}, filename = true, all_varchar = true, header = true)
  WHERE CAST(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1) AS DATE) <= (SELECT as_of FROM p)
  QUALIFY row_number() OVER (PARTITION BY "日期" ORDER BY filename DESC) = 1)
SELECT days.date, coalesce(delivered.school_day, isodow(days.date) <= 5) AS school_day
FROM days LEFT JOIN delivered USING (date);

-- 记录序列与连续旷课
CREATE OR REPLACE TEMP TABLE seq AS
SELECT att.*, row_number() OVER (PARTITION BY no ORDER BY date) AS rn
FROM att JOIN cal USING (date) WHERE cal.school_day;

CREATE OR REPLACE TEMP TABLE streaks AS
SELECT no, min(date) AS streak_start, count(*) AS streak_days, max(rn) AS last_rn,
       list_sort(list(date))[2] AS opened_on, arg_min(school, date) AS school
FROM (SELECT *, rn - row_number() OVER (PARTITION BY no ORDER BY date) AS grp FROM seq WHERE cls = 'unexcused')
GROUP BY no, grp HAVING count(*) >= 2;

CREATE OR REPLACE TEMP TABLE chg AS
SELECT "全国学籍号" AS no, "异动类型" AS type, CAST("异动日期" AS DATE) AS date, "审批状态" AS approval
FROM read_csv(${changes}, filename = true, all_varchar = true, header = true)
WHERE CAST(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1) AS DATE) <= (SELECT as_of FROM p)
QUALIFY row_number() OVER (PARTITION BY "异动编号" ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE events AS
SELECT no, date FROM chg, p
WHERE chg.date <= p.as_of AND ((type = '辍学' AND approval <> '已驳回')
   OR (type = '转出' AND (approval = '已驳回' OR (approval = '待审批' AND chg.date + 30 <= p.as_of))));

CREATE OR REPLACE TEMP TABLE moves AS
SELECT no, date FROM chg WHERE approval = '已审批' AND type IN ('转出', '借读', '休学', '死亡');

CREATE OR REPLACE TEMP TABLE iv AS
SELECT "全国学籍号" AS no, CAST("日期" AS DATE) AS date, "类型" AS type
FROM read_csv(${interventions}, filename = true, all_varchar = true, header = true)
WHERE CAST(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1) AS DATE) <= (SELECT as_of FROM p)
QUALIFY row_number() OVER (PARTITION BY "记录编号" ORDER BY filename DESC) = 1;

-- 两天规则：预警、结案、家访
CREATE OR REPLACE TEMP TABLE b_alerts AS
WITH cand AS (
  SELECT s.no, s.streak_start, e.date AS d, 1 AS pri, 'dropout' AS res FROM streaks s JOIN events e ON e.no = s.no AND e.date BETWEEN s.streak_start AND (SELECT as_of FROM p)
  UNION ALL
  SELECT s.no, s.streak_start, m.date, 2, 'moved' FROM streaks s JOIN moves m ON m.no = s.no AND m.date BETWEEN s.streak_start AND (SELECT as_of FROM p)
  UNION ALL
  SELECT s.no, s.streak_start, q.date, 3, CASE q.cls WHEN 'present' THEN 'returned' ELSE 'excused' END
  FROM streaks s JOIN seq q ON q.no = s.no AND q.rn = s.last_rn + 1),
first AS (SELECT * FROM cand QUALIFY row_number() OVER (PARTITION BY no, streak_start ORDER BY d, pri) = 1),
a AS (
  SELECT s.no, s.school, s.streak_start, s.opened_on, s.streak_days, s.streak_start + 15 AS due_on,
         coalesce(f.res, 'open') AS resolution, f.d AS closed_on
  FROM streaks s LEFT JOIN first f USING (no, streak_start))
SELECT a.*, a.resolution = 'open' AND (SELECT as_of FROM p) > a.due_on AS overdue,
       count(*) FILTER (WHERE iv.type = '家访') AS home_visits,
       coalesce(bool_or(iv.type = '校领导家访'), false) AS leader_visit,
       min(iv.date) FILTER (WHERE iv.type = '流失报告') AS report_on
FROM a LEFT JOIN iv ON iv.no = a.no AND iv.date BETWEEN a.streak_start AND coalesce(a.closed_on, (SELECT as_of FROM p))
GROUP BY ALL;

-- 基数与流失
CREATE OR REPLACE TEMP TABLE roster AS
SELECT "全国学籍号" AS no, "学校标识码" AS school, CAST("年级" AS INTEGER) AS grade, "学籍状态" AS status,
       "户口在外" = '是' AS hukou_outside, "建档立卡" = '是' OR "低保" = '是' AS poverty, "残疾" = '是' AS disabled,
       "残疾人子女" = '是' AS disabled_parent, "留守儿童" = '是' AS left_behind, "随迁子女" = '是' AS migrant,
       CAST(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1) AS DATE) AS delivery
FROM read_csv(${students}, filename = true, all_varchar = true, header = true)
WHERE CAST(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1) AS DATE) <= (SELECT as_of FROM p);

CREATE OR REPLACE TEMP TABLE base AS
WITH snap AS (SELECT school, min(delivery) AS delivery FROM roster, p WHERE delivery >= p.year_start GROUP BY school)
SELECT r.* FROM roster r JOIN snap USING (school, delivery)
WHERE r.status = '在读' AND NOT coalesce(r.hukou_outside, false)
  AND r.no NOT IN (SELECT no FROM chg, p WHERE type = '借读' AND approval = '已审批' AND chg.date >= p.year_start);

CREATE OR REPLACE TEMP TABLE outcome AS
WITH last_event AS (SELECT no, max(date) AS event_on FROM events, p WHERE date >= p.year_start GROUP BY no),
ret AS (
  SELECT e.no FROM last_event e JOIN att ON att.no = e.no AND att.date > e.event_on AND att.cls = 'present'
  UNION SELECT e.no FROM last_event e JOIN chg ON chg.no = e.no AND chg.type = '复学' AND chg.approval = '已审批' AND chg.date > e.event_on AND chg.date <= (SELECT as_of FROM p))
SELECT b.*, e.no IS NOT NULL AND r.no IS NULL AS is_dropout, e.no IS NOT NULL AND r.no IS NOT NULL AS is_returned
FROM base b LEFT JOIN last_event e USING (no) LEFT JOIN (SELECT DISTINCT no FROM ret) r USING (no);

-- 隐性流失：疑似辍学（逾期未结的预警、消失）、空挂学籍（沉默）、长期缺勤
CREATE OR REPLACE TEMP TABLE latest_roster AS
SELECT r.* FROM roster r JOIN (SELECT school, max(delivery) AS delivery FROM roster GROUP BY school) USING (school, delivery);

CREATE OR REPLACE TEMP TABLE b_watchlist AS
SELECT o.no, o.school, 'suspected_dropout' AS kind FROM outcome o, p
WHERE NOT o.is_dropout AND o.no NOT IN (SELECT no FROM moves, p WHERE moves.date <= p.as_of)
  AND (o.no IN (SELECT no FROM b_alerts WHERE resolution = 'open' AND streak_start <= (SELECT as_of FROM p) - 15)
    OR (o.no NOT IN (SELECT no FROM latest_roster WHERE latest_roster.school = o.school)
        AND o.no NOT IN (SELECT no FROM chg, p WHERE chg.date >= p.year_start AND chg.date <= p.as_of)
        AND o.no NOT IN (SELECT no FROM latest_roster WHERE status = '在读')))
UNION ALL
SELECT l.no, l.school, 'ghost' FROM latest_roster l
JOIN (SELECT att.school FROM att JOIN (SELECT date FROM cal WHERE school_day ORDER BY date DESC LIMIT 20) USING (date)
      GROUP BY att.school HAVING count(DISTINCT att.date) >= 10) USING (school)
WHERE l.status = '在读' AND l.no NOT IN (
  SELECT no FROM att JOIN (SELECT date FROM cal WHERE school_day ORDER BY date DESC LIMIT 20) USING (date))
UNION ALL
SELECT no, arg_max(school, date), 'chronic_absence' FROM seq, p
WHERE seq.date >= p.term_start AND no IN (SELECT no FROM latest_roster WHERE status = '在读')
GROUP BY no HAVING count(*) >= 10 AND count(*) FILTER (WHERE cls <> 'present') >= 0.1 * count(*);

-- 指标：学校 × 年级 × 群体
CREATE OR REPLACE TEMP TABLE b_indicators AS
WITH g AS (
  SELECT school, grade, 'all' AS group_name, is_dropout, is_returned, no FROM outcome
  UNION ALL SELECT school, grade, 'poverty', is_dropout, is_returned, no FROM outcome WHERE poverty
  UNION ALL SELECT school, grade, 'disabled', is_dropout, is_returned, no FROM outcome WHERE disabled
  UNION ALL SELECT school, grade, 'disabled_parent', is_dropout, is_returned, no FROM outcome WHERE disabled_parent
  UNION ALL SELECT school, grade, 'left_behind', is_dropout, is_returned, no FROM outcome WHERE left_behind
  UNION ALL SELECT school, grade, 'migrant', is_dropout, is_returned, no FROM outcome WHERE migrant)
SELECT school, grade, group_name, count(*) AS base_enrollment, count(*) FILTER (WHERE is_dropout) AS dropouts,
       count(*) FILTER (WHERE is_returned) AS returned,
       count(*) FILTER (WHERE no IN (SELECT no FROM b_watchlist WHERE kind = 'suspected_dropout')) AS suspected_dropouts,
       count(*) FILTER (WHERE is_dropout) / count(*) AS attrition_rate
FROM g GROUP BY ALL;
