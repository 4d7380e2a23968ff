{#
    For each day a restriction category was imposed (closure) or lifted (reopening) in a
    state, Womply revenue change in the 14 days before (the 14 days up to the day before)
    against the 14 days after (the day itself and the 13 after). Events with no revenue in
    either window are kept, with null means and 0 days. Categories: restriction_categories().
#}

with

periods as (select * from {{ ref('int_restrictions__periods') }}),

revenue as (select * from {{ ref('stg_oi_economic_tracker__womply_revenue_state_daily') }}),

states as (select * from {{ ref('states') }}),

events as (

    select state_fips, category, 'closure' as event_type, imposed_date as event_date
    from periods
    union
    select state_fips, category, 'reopening' as event_type, lifted_date as event_date
    from periods
    where lifted_date is not null

),

windows as (

    select
        events.state_fips,
        events.category,
        events.event_type,
        events.event_date,
        case when revenue.report_date < events.event_date then revenue.revenue_change_all end
            as revenue_change_before,
        case when revenue.report_date >= events.event_date then revenue.revenue_change_all end
            as revenue_change_after
    from events
    left join revenue
        on events.state_fips = revenue.state_fips
        and revenue.report_date >= {{ dbt.dateadd('day', -14, 'events.event_date') }}
        and revenue.report_date < {{ dbt.dateadd('day', 14, 'events.event_date') }}
    where events.category in (
        {%- for category in restriction_categories() %}'{{ category }}'{% if not loop.last %}, {% endif %}{% endfor -%}
    )

),

final as (

    select
        windows.state_fips,
        states.state_name,
        windows.category,
        windows.event_type,
        windows.event_date,
        avg(windows.revenue_change_before) as mean_revenue_change_before,
        avg(windows.revenue_change_after) as mean_revenue_change_after,
        avg(windows.revenue_change_after) - avg(windows.revenue_change_before)
            as revenue_change_difference,
        count(windows.revenue_change_before) as n_days_before,
        count(windows.revenue_change_after) as n_days_after
    from windows
    left join states
        on windows.state_fips = states.state_fips
    group by
        windows.state_fips, states.state_name, windows.category, windows.event_type,
        windows.event_date

)

select * from final
