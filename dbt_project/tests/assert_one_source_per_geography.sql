-- A geography's series comes from one source. Two sources in one series mean a county's
-- source changed (NYT began publishing a county that came from JHU) after an incremental
-- build: rebuild with `dbt build --full-refresh` (or the refresh job's full_refresh config).
select geo_level, geo_id, count(distinct source) as sources
from {{ ref('fct_cases_daily') }}
group by geo_level, geo_id
having count(distinct source) > 1
