{#
    One row per state, restriction category and period in force, from two sources:
    - OI policy milestones (classified by int_policy_events__categorized): a period starts at
      a statewide closure of a category not already in force and ends at the next reopening
      of that category (lifted_date = the reopening's day). A closure while in force and a
      reopening while not in force change nothing; on a day with both, the closure wins.
    - Delaware's mitigation timeline: each measure is a period from its start to its `Until`
      day, the last day in force (lifted_date = the day after), or open when "Further
      Notice"; its categories come from the delaware_mitigation_rules seed (every rule that
      matches; 'other' when none does).
    Periods from the two sources may overlap; fct_restrictions_daily counts a category in
    force while any period of it is.
#}

with

events as (select * from {{ ref('int_policy_events__categorized') }}),

measures as (select * from {{ ref('stg_delaware_dhss__mitigation_measures') }}),

measure_rules as (select * from {{ ref('delaware_mitigation_rules') }}),

status_changes as (

    select
        state_fips,
        category,
        event_date,
        max(case when event_type = 'closure' then 1 else 0 end) as is_closed,
        {{ dbt.listagg(
            "case when event_type = 'closure' then policy_description end",
            "'; '", "order by policy_description") }} as closure_descriptions,
        {{ dbt.listagg(
            "case when event_type = 'reopening' then policy_description end",
            "'; '", "order by policy_description") }} as reopening_descriptions
    from events
    where event_type in ('closure', 'reopening')
    group by state_fips, category, event_date

),

with_previous as (

    select
        *,
        lag(is_closed) over (
            partition by state_fips, category order by event_date
        ) as previous_is_closed
    from status_changes

),

transitions as (

    -- the days the category's status flips (nothing is in force before the first closure)
    select * from with_previous
    where is_closed <> coalesce(previous_is_closed, 0)

),

oi_periods as (

    select
        state_fips,
        category,
        event_date as imposed_date,
        lead(event_date) over (
            partition by state_fips, category order by event_date
        ) as lifted_date,
        closure_descriptions as imposed_description,
        lead(reopening_descriptions) over (
            partition by state_fips, category order by event_date
        ) as lifted_description,
        is_closed
    from transitions

),

delaware_periods as (

    select
        measures.measure_description,
        coalesce(measure_rules.category, 'other') as category,
        measures.start_date,
        measures.end_date
    from measures
    left join measure_rules
        on lower(measures.measure_description) like measure_rules.measure_pattern

),

unioned as (

    select
        'oi_economic_tracker' as source,
        state_fips,
        category,
        imposed_date,
        lifted_date,
        imposed_description,
        lifted_description
    from oi_periods
    where is_closed = 1

    union all

    select
        'delaware_dhss' as source,
        '10' as state_fips,
        category,
        start_date as imposed_date,
        cast({{ dbt.dateadd('day', 1, 'end_date') }} as date) as lifted_date,
        measure_description as imposed_description,
        cast(null as {{ dbt.type_string() }}) as lifted_description
    from delaware_periods

)

select * from unioned
