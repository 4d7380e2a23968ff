with

restrictions as (

    select * from {{ ref('int_restrictions__daily') }}

),

revenue as (

    select * from {{ ref('stg_oi_economic_tracker__womply_revenue_state_daily') }}

),

states as (

    select * from {{ ref('states') }}

),

paired_days as (

    select
        revenue.state_fips,
        revenue.report_date,
        revenue.revenue_change_all,
        restrictions.restrictions_in_force
    from revenue
    inner join restrictions
        on revenue.state_fips = restrictions.state_fips
        and revenue.report_date = restrictions.calendar_date
    where revenue.revenue_change_all is not null

),

correlated as (

    select
        state_fips,
        corr(restrictions_in_force, revenue_change_all) as pearson_r,
        count(*) as n_days,
        min(report_date) as first_date,
        max(report_date) as last_date,
        min(restrictions_in_force) as min_restrictions_in_force,
        max(restrictions_in_force) as max_restrictions_in_force,
        avg(revenue_change_all) as mean_revenue_change
    from paired_days
    group by state_fips

),

final as (

    select
        correlated.state_fips,
        states.state_name,
        correlated.pearson_r,
        correlated.n_days,
        correlated.first_date,
        correlated.last_date,
        correlated.min_restrictions_in_force,
        correlated.max_restrictions_in_force,
        correlated.mean_revenue_change
    from correlated
    left join states
        on correlated.state_fips = states.state_fips

)

select * from final
