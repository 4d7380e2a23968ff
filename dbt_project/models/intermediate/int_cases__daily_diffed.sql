{#
    Daily changes of each geography's cumulative series. The previous value is the previous
    reported day of the same geography; a geography's first reported day has no previous
    value, so its new value is its cumulative value (the new values then sum to the latest
    cumulative). A fall in either cumulative series is a correction by the publisher.
#}

with

cumulative as (

    select * from {{ ref('int_cases__geographies_unioned') }}

),

with_previous as (

    select
        *,
        lag(report_date) over (
            partition by geo_level, geo_id order by report_date
        ) as previous_report_date,
        lag(cases_cumulative) over (
            partition by geo_level, geo_id order by report_date
        ) as previous_cases_cumulative,
        lag(deaths_cumulative) over (
            partition by geo_level, geo_id order by report_date
        ) as previous_deaths_cumulative
    from cumulative

),

diffed as (

    select
        geo_level,
        geo_id,
        geo_name,
        report_date,
        population,
        cases_cumulative,
        deaths_cumulative,
        case
            when previous_report_date is null then cases_cumulative
            else cases_cumulative - previous_cases_cumulative
        end as new_cases,
        case
            when previous_report_date is null then deaths_cumulative
            else deaths_cumulative - previous_deaths_cumulative
        end as new_deaths,
        coalesce(
            cases_cumulative < previous_cases_cumulative
            or deaths_cumulative < previous_deaths_cumulative,
            false
        ) as is_correction
    from with_previous

)

select * from diffed
