{#
    Opportunity Insights' small-business and spending series side by side, per state and per
    county (Delaware and Illinois in the mirror) and day: Womply revenue and merchants open,
    Affinity consumer spending. A day is kept when any of the three is published for it.
    County spending is weekly (one value per week, on its last day).
#}

with

state_revenue as (select * from {{ ref('stg_oi_economic_tracker__womply_revenue_state_daily') }}),

state_merchants as (select * from {{ ref('stg_oi_economic_tracker__womply_merchants_state_daily') }}),

state_spending as (select * from {{ ref('stg_oi_economic_tracker__affinity_state_daily') }}),

county_revenue as (select * from {{ ref('stg_oi_economic_tracker__womply_revenue_county_daily') }}),

county_merchants as (select * from {{ ref('stg_oi_economic_tracker__womply_merchants_county_daily') }}),

county_spending as (select * from {{ ref('stg_oi_economic_tracker__affinity_county_weekly') }}),

states as (select * from {{ ref('states') }}),

counties as (select * from {{ ref('stg_oi_economic_tracker__geoids_county') }}),

series as (

    {%- set no_value = 'cast(null as ' ~ dbt.type_float() ~ ')' %}
    {%- set no_text = 'cast(null as ' ~ dbt.type_string() ~ ')' %}

    select
        'state' as geo_level,
        state_fips as geo_id,
        report_date,
        revenue_change_all as revenue_change,
        {{ no_value }} as merchants_open_change,
        {{ no_value }} as consumer_spending_change,
        {{ no_text }} as spending_frequency,
        false as is_provisional
    from state_revenue
    union all
    select 'state', state_fips, report_date, {{ no_value }}, merchants_open_change_all,
        {{ no_value }}, {{ no_text }}, false
    from state_merchants
    union all
    select 'state', state_fips, report_date, {{ no_value }}, {{ no_value }}, spend_change_all,
        case when value_frequency = 'w' then 'weekly' else 'daily' end,
        coalesce(is_provisional, false)
    from state_spending
    union all
    select 'county', county_fips, report_date, revenue_change_all, {{ no_value }},
        {{ no_value }}, {{ no_text }}, false
    from county_revenue
    union all
    select 'county', county_fips, report_date, {{ no_value }}, merchants_open_change_all,
        {{ no_value }}, {{ no_text }}, false
    from county_merchants
    union all
    select 'county', county_fips, week_end_date, {{ no_value }}, {{ no_value }}, spend_change_all,
        'weekly', false
    from county_spending

),

combined as (

    select
        geo_level,
        geo_id,
        report_date,
        max(revenue_change) as revenue_change,
        max(merchants_open_change) as merchants_open_change,
        max(consumer_spending_change) as consumer_spending_change,
        max(spending_frequency) as consumer_spending_frequency,
        max(case when is_provisional then 1 else 0 end) = 1 as is_provisional
    from series
    group by geo_level, geo_id, report_date

),

final as (

    select
        combined.geo_level,
        combined.geo_id,
        coalesce(states.state_name, {{ dbt.concat(['counties.county_name', "', '", 'counties.state_abbreviation']) }}) as geo_name,
        coalesce(states.state_fips, counties.state_fips) as state_fips,
        combined.report_date as activity_date,
        combined.revenue_change,
        combined.merchants_open_change,
        combined.consumer_spending_change,
        combined.consumer_spending_frequency,
        combined.is_provisional
    from combined
    left join states
        on combined.geo_level = 'state'
        and combined.geo_id = states.state_fips
    left join counties
        on combined.geo_level = 'county'
        and combined.geo_id = counties.county_fips

)

select * from final
