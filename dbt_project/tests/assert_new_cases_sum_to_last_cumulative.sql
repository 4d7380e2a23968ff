-- For every geography, the daily new cases and deaths add up to its last cumulative values
-- (the first day's new value is its cumulative value). Returns the geographies that do not.
with

daily as (

    select * from {{ ref('fct_cases_daily') }}

),

totals as (

    select
        geo_level,
        geo_id,
        sum(new_cases) as new_cases_total,
        sum(new_deaths) as new_deaths_total,
        max(report_date) as last_date
    from daily
    group by geo_level, geo_id

)

select totals.*
from totals
inner join daily
    on totals.geo_level = daily.geo_level
    and totals.geo_id = daily.geo_id
    and totals.last_date = daily.report_date
where totals.new_cases_total is distinct from daily.cases_cumulative
    or totals.new_deaths_total is distinct from daily.deaths_cumulative
