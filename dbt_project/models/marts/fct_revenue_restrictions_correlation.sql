{#
    Pearson r between the number of restriction categories in force on a day and Womply
    small-business revenue change `lag_days` later (0-28), per state and for the nation (every
    state's pairs pooled). The strongest lag of a geography is the one with the largest |r|
    (the shortest such lag on a tie).
#}

with

restrictions as (select * from {{ ref('int_restrictions__daily') }}),

revenue as (select * from {{ ref('stg_oi_economic_tracker__womply_revenue_state_daily') }}),

states as (select * from {{ ref('states') }}),

lags as (

    select generated_number - 1 as lag_days
    from ({{ dbt.generate_series(29) }}) as numbers

),

lagged_revenue as (

    -- each revenue day with the day lag_days before it, computed as a column so the join
    -- below is a plain equality (a join on the expression itself is a nested loop on Spark)
    select
        revenue.state_fips,
        lags.lag_days,
        revenue.revenue_change_all,
        cast({{ dbt.dateadd('day', '-lags.lag_days', 'revenue.report_date') }} as date)
            as restriction_date
    from revenue
    cross join lags
    where revenue.revenue_change_all is not null

),

pairs as (

    -- each revenue day, paired with the restriction count lag_days before it
    select
        lagged_revenue.state_fips,
        lagged_revenue.lag_days,
        restrictions.restrictions_in_force,
        lagged_revenue.revenue_change_all
    from lagged_revenue
    inner join restrictions
        on lagged_revenue.state_fips = restrictions.state_fips
        -- cast above: a date = date join can hash (date = timestamp cannot)
        and restrictions.calendar_date = lagged_revenue.restriction_date

),

correlated as (

    select
        'state' as geo_level,
        pairs.state_fips as geo_id,
        states.state_name as geo_name,
        pairs.lag_days,
        corr(pairs.restrictions_in_force, pairs.revenue_change_all) as pearson_r,
        count(*) as n_days
    from pairs
    left join states
        on pairs.state_fips = states.state_fips
    group by pairs.state_fips, states.state_name, pairs.lag_days

    union all

    select
        'nation' as geo_level,
        'US' as geo_id,
        'United States' as geo_name,
        lag_days,
        corr(restrictions_in_force, revenue_change_all) as pearson_r,
        count(*) as n_days
    from pairs
    group by lag_days

),

ranked as (

    select
        *,
        row_number() over (
            partition by geo_level, geo_id
            order by abs(pearson_r) desc nulls last, lag_days
        ) as strength_rank
    from correlated

),

final as (

    select
        geo_level,
        geo_id,
        geo_name,
        lag_days,
        pearson_r,
        n_days,
        coalesce(strength_rank = 1 and pearson_r is not null, false) as is_strongest_lag,
        max(case when strength_rank = 1 and pearson_r is not null then lag_days end) over (
            partition by geo_level, geo_id
        ) as strongest_lag_days
    from ranked

)

select * from final
