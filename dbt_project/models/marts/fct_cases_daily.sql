with

daily as (

    select * from {{ ref('int_cases__daily_diffed') }}

),

windowed as (

    select
        *,
        count(new_cases) over (
            partition by geo_level, geo_id
            order by report_date
            rows between 6 preceding and current row
        ) as reported_days_in_window,
        sum(new_cases) over (
            partition by geo_level, geo_id
            order by report_date
            rows between 6 preceding and current row
        ) as new_cases_7d_sum
    from daily

),

final as (

    select
        geo_level,
        geo_id,
        geo_name,
        report_date,
        cases_cumulative,
        deaths_cumulative,
        new_cases,
        new_deaths,
        case
            when reported_days_in_window = 7
                then cast(new_cases_7d_sum as {{ dbt.type_float() }}) / 7
        end as new_cases_7d_avg,
        case
            when reported_days_in_window = 7 and population > 0
                then cast(new_cases_7d_sum as {{ dbt.type_float() }}) * 100000 / population
        end as new_cases_per_100k_7d,
        is_correction
    from windowed

)

select * from final
