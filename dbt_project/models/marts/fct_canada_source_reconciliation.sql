{#
    PHAC, the primary Canadian source, against JHU CSSE's Canada rows for the same region and
    day (the time_series_covid19_*_global files), as fct_case_source_reconciliation does for
    NYT against JHU:
    - phac_vs_jhu_province: a province or territory, JHU's row matched by its English name
      (canada_regions seed);
    - phac_vs_jhu_canada_sum: PHAC's Canada total against the sum of every JHU Canada row,
      its cruise-ship and repatriated-traveller rows included (PHAC counts those in Canada's
      total too).
    JHU rows that match no region are listed in rpt_unmatched_geographies. PHAC reports on
    irregular days early on, so only days both publish are compared.
#}

with

phac as (select * from {{ ref('stg_phac_canada__regions') }}),

jhu_cases as (select * from {{ ref('stg_jhu_csse__global_cases') }} where country_name = 'Canada'),

jhu_deaths as (select * from {{ ref('stg_jhu_csse__global_deaths') }} where country_name = 'Canada'),

regions as (select * from {{ ref('canada_regions') }}),

jhu as (

    select
        jhu_cases.province_name,
        jhu_cases.report_date,
        jhu_cases.cases_cumulative,
        jhu_deaths.deaths_cumulative
    from jhu_cases
    left join jhu_deaths
        on jhu_cases.place_key = jhu_deaths.place_key
        and jhu_cases.report_date = jhu_deaths.report_date

),

compared as (

    select
        regions.geo_id,
        jhu.report_date,
        'phac_vs_jhu_province' as comparison,
        jhu.cases_cumulative,
        jhu.deaths_cumulative
    from jhu
    inner join regions
        on jhu.province_name = regions.region_name
        and regions.geo_level = 'province'

    union all

    select
        'CA' as geo_id,
        report_date,
        'phac_vs_jhu_canada_sum' as comparison,
        sum(cases_cumulative) as cases_cumulative,
        sum(deaths_cumulative) as deaths_cumulative
    from jhu
    group by report_date

),

primary_values as (

    select
        regions.geo_level,
        regions.geo_id,
        regions.region_name,
        phac.report_date,
        phac.cases_cumulative,
        phac.deaths_cumulative
    from phac
    inner join regions
        on phac.region_id = regions.pruid

),

by_metric as (

    {% for metric in ['cases', 'deaths'] -%}
    select
        primary_values.geo_level,
        primary_values.geo_id,
        primary_values.region_name,
        primary_values.report_date,
        compared.comparison,
        '{{ metric }}' as metric,
        'phac_canada' as primary_source,
        primary_values.{{ metric }}_cumulative as primary_value,
        'jhu_csse' as compared_source,
        compared.{{ metric }}_cumulative as compared_value
    from compared
    inner join primary_values
        on compared.geo_id = primary_values.geo_id
        and compared.report_date = primary_values.report_date
    where compared.{{ metric }}_cumulative is not null
        and primary_values.{{ metric }}_cumulative is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        geo_level,
        geo_id,
        region_name,
        report_date,
        comparison,
        metric,
        primary_source,
        primary_value,
        compared_source,
        compared_value,
        compared_value - primary_value as difference,
        cast(compared_value - primary_value as {{ dbt.type_float() }})
            / nullif(primary_value, 0) as relative_difference,
        abs(compared_value - primary_value) > greatest(
            {{ var('reconciliation_tolerance') }} * abs(primary_value),
            {{ var('reconciliation_min_difference') }}
        ) as is_beyond_tolerance
    from by_metric

)

select * from final
