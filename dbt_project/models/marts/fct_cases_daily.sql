{#
    Daily new cases and deaths from cumulative series, per geography. Incremental: per
    source, a run rebuilds the last var('cases_lookback_days') days already built (so late
    corrections within them are picked up) plus any newer day. It reads 7 more days before
    that window, which the 7-day sums need, and each geography's last built row before those
    (an "anchor", found through the table's unique index), which the first of them is diffed
    against; the rows it rebuilds are then the same as a full refresh would build. Revisions older than the window, and a county
    changing source, need `--full-refresh` (assert_one_source_per_geography catches the latter).
#}

{{
    config(
        materialized='incremental',
        unique_key=['geo_level', 'geo_id', 'report_date'],
        incremental_strategy=incremental_strategy(),
        partition_by=incremental_partitions(['source', 'report_date']),
        on_schema_change='fail',
        indexes=[
            {'columns': ['geo_level', 'geo_id', 'report_date'], 'unique': True},
            {'columns': ['source', 'report_date']},
        ],
    )
}}

{%- set lookback_days = var('cases_lookback_days') %}
{%- set sources = case_sources() %}

with

cumulative as (

    select * from {{ ref('int_cases__geographies_unioned') }}
    {% if is_incremental() -%}
    where {{ incremental_window('source', sources, lookback_days + 7) }}
    {%- endif %}

),

{% if is_incremental() -%}
context_starts as (

    select geo_level, geo_id, min(report_date) as first_context_date
    from cumulative
    group by geo_level, geo_id

),

anchor_dates as (

    -- the latest built day before each geography's context (an index lookup per geography)
    select
        context_starts.geo_level,
        context_starts.geo_id,
        (
            select max(earlier.report_date)
            from {{ this }} as earlier
            where earlier.geo_level = context_starts.geo_level
                and earlier.geo_id = context_starts.geo_id
                and earlier.report_date < context_starts.first_context_date
        ) as anchor_date
    from context_starts

),
{%- endif %}

series as (

    select *, false as is_anchor from cumulative
    {% if is_incremental() -%}
    union all
    select
        built.geo_level,
        built.geo_id,
        built.geo_name,
        built.parent_geo_id,
        built.source,
        built.report_date,
        built.cases_cumulative,
        built.deaths_cumulative,
        built.population,
        true as is_anchor
    from anchor_dates
    inner join {{ this }} as built
        on anchor_dates.geo_level = built.geo_level
        and anchor_dates.geo_id = built.geo_id
        and anchor_dates.anchor_date = built.report_date
    {%- endif %}

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
    from series

),

diffed as (

    select
        *,
        case
            when previous_report_date is null then cases_cumulative
            else cases_cumulative - previous_cases_cumulative
        end as new_cases,
        case
            when previous_report_date is null then deaths_cumulative
            else deaths_cumulative - previous_deaths_cumulative
        end as new_deaths,
        {{ dbt.datediff('previous_report_date', 'report_date', 'day') }} as days_since_previous_report
    from with_previous

),

windowed as (

    select
        *,
        sum(new_cases) over (
            partition by geo_level, geo_id order by report_date
            rows between 6 preceding and current row
        ) as new_cases_7d_sum,
        -- rows in the window whose new_cases covers exactly one day (no gap, not a first day)
        sum(case when days_since_previous_report = 1 and new_cases is not null then 1 else 0 end) over (
            partition by geo_level, geo_id order by report_date
            rows between 6 preceding and current row
        ) as one_day_rows_in_window,
        sum(new_deaths) over (
            partition by geo_level, geo_id order by report_date
            rows between 6 preceding and current row
        ) as new_deaths_7d_sum,
        sum(case when days_since_previous_report = 1 and new_deaths is not null then 1 else 0 end) over (
            partition by geo_level, geo_id order by report_date
            rows between 6 preceding and current row
        ) as one_day_death_rows_in_window
    from diffed

),

final as (

    select
        geo_level,
        geo_id,
        geo_name,
        parent_geo_id,
        report_date,
        source,
        population,
        cases_cumulative,
        deaths_cumulative,
        new_cases,
        new_deaths,
        case
            when one_day_rows_in_window = 7
                then cast(new_cases_7d_sum as {{ dbt.type_float() }}) / 7
        end as new_cases_7d_avg,
        case
            when one_day_rows_in_window = 7 and population > 0
                then cast(new_cases_7d_sum as {{ dbt.type_float() }}) * 100000 / population
        end as new_cases_per_100k_7d,
        case
            when one_day_death_rows_in_window = 7
                then cast(new_deaths_7d_sum as {{ dbt.type_float() }}) / 7
        end as new_deaths_7d_avg,
        case
            when one_day_death_rows_in_window = 7 and population > 0
                then cast(new_deaths_7d_sum as {{ dbt.type_float() }}) * 100000 / population
        end as new_deaths_per_100k_7d,
        coalesce(
            cases_cumulative < previous_cases_cumulative
            or deaths_cumulative < previous_deaths_cumulative,
            false
        ) as is_correction,
        coalesce(days_since_previous_report > 1, false) as is_gap_fill,
        days_since_previous_report
    from windowed
    where not is_anchor
    {% if is_incremental() -%}
        and {{ incremental_window('source', sources, lookback_days) }}
    {%- endif %}

)

select * from final
