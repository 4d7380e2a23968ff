{#
    The primary state series (NYT) against independent figures for the same state and day:
    - nyt_vs_jhu_state: JHU CSSE's daily state reports (cases and deaths);
    - county_sum_vs_state: the sum of a state's county rows, from JHU CSSE's deaths_US
      (deaths; every place JHU files under the state, pseudo-counties included) and from
      NYT us-counties (cases and deaths).
    A difference is flagged past var('reconciliation_tolerance') of the NYT value and
    var('reconciliation_min_difference'). Incremental like fct_cases_daily: per compared
    source, a run rebuilds the last var('cases_lookback_days') days already built and any
    newer day.
#}

{{
    config(
        materialized='incremental',
        unique_key=['state_fips', 'report_date', 'comparison', 'compared_source', 'metric'],
        incremental_strategy=incremental_strategy(),
        partition_by=incremental_partitions(['compared_source', 'report_date']),
        on_schema_change='fail',
        indexes=[{'columns': ['compared_source', 'report_date']}],
    )
}}


with

nyt_states as (select * from {{ ref('stg_nyt_covid__states') }}),

jhu_states as (select * from {{ ref('stg_jhu_csse__state_reports') }}),

jhu_counties as (select * from {{ ref('stg_jhu_csse__county_deaths') }}),

nyt_counties as (select * from {{ ref('stg_nyt_covid__counties') }}),

states as (select * from {{ ref('states') }}),

compared as (

    select
        jhu_states.state_fips,
        jhu_states.report_date,
        'nyt_vs_jhu_state' as comparison,
        'jhu_csse' as compared_source,
        jhu_states.cases_cumulative,
        jhu_states.deaths_cumulative
    from jhu_states

    union all

    select
        states.state_fips,
        jhu_counties.report_date,
        'county_sum_vs_state' as comparison,
        'jhu_csse' as compared_source,
        cast(null as {{ dbt.type_bigint() }}) as cases_cumulative,
        sum(jhu_counties.deaths_cumulative) as deaths_cumulative
    from jhu_counties
    inner join states
        on jhu_counties.state_name = states.state_name
    group by states.state_fips, jhu_counties.report_date

    union all

    select
        states.state_fips,
        nyt_counties.report_date,
        'county_sum_vs_state' as comparison,
        'nyt_covid' as compared_source,
        sum(nyt_counties.cases_cumulative) as cases_cumulative,
        sum(nyt_counties.deaths_cumulative) as deaths_cumulative
    from nyt_counties
    inner join states
        on nyt_counties.state_name = states.state_name
    group by states.state_fips, nyt_counties.report_date

),

by_metric as (

    {% for metric in ['cases', 'deaths'] -%}
    select
        compared.state_fips,
        compared.report_date,
        compared.comparison,
        '{{ metric }}' as metric,
        'nyt_covid' as primary_source,
        nyt_states.{{ metric }}_cumulative as primary_value,
        compared.compared_source,
        compared.{{ metric }}_cumulative as compared_value
    from compared
    inner join nyt_states
        on compared.state_fips = nyt_states.state_fips
        and compared.report_date = nyt_states.report_date
    where compared.{{ metric }}_cumulative is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        by_metric.state_fips,
        states.state_name,
        by_metric.report_date,
        by_metric.comparison,
        by_metric.metric,
        by_metric.primary_source,
        by_metric.primary_value,
        by_metric.compared_source,
        by_metric.compared_value,
        by_metric.compared_value - by_metric.primary_value as difference,
        cast(by_metric.compared_value - by_metric.primary_value as {{ dbt.type_float() }})
            / nullif(by_metric.primary_value, 0) as relative_difference,
        abs(by_metric.compared_value - by_metric.primary_value) > greatest(
            {{ var('reconciliation_tolerance') }} * abs(by_metric.primary_value),
            {{ var('reconciliation_min_difference') }}
        ) as is_beyond_tolerance
    from by_metric
    inner join states
        on by_metric.state_fips = states.state_fips
    {% if is_incremental() -%}
    -- unqualified columns: by_metric's (states has no report_date or compared_source)
    where {{ incremental_window('compared_source', ['jhu_csse', 'nyt_covid'], var('cases_lookback_days')) }}
    {%- endif %}

)

select * from final
