{{ config(materialized="table") }}

{#
    Which restriction categories (restriction_categories()) are in force in each state on each
    calendar day: a category is in force while any of its periods is (imposed_date on or
    before the day, lifted_date after it or never). States: those with at least one policy
    event or restriction period.
#}

{% set categories = restriction_categories() %}

with

periods as (select * from {{ ref('int_restrictions__periods') }}),

events as (select * from {{ ref('int_policy_events__categorized') }}),

calendar as (select * from {{ ref('int_restrictions__calendar') }}),

tracked_states as (

    select state_fips from events
    union
    select state_fips from periods

),

in_force as (

    select
        tracked_states.state_fips,
        calendar.calendar_date,
        periods.category
    from tracked_states
    cross join calendar
    left join periods
        on tracked_states.state_fips = periods.state_fips
        and periods.imposed_date <= calendar.calendar_date
        and (periods.lifted_date is null or calendar.calendar_date < periods.lifted_date)

),

final as (

    select
        state_fips,
        calendar_date,
        {% for category in categories -%}
        max(case when category = '{{ category }}' then 1 else 0 end) = 1
            as is_{{ category }}_restricted,
        {% endfor -%}
        {% for category in categories -%}
        max(case when category = '{{ category }}' then 1 else 0 end)
        {%- if not loop.last %} + {% endif %}
        {% endfor -%}
        as restrictions_in_force
    from in_force
    group by state_fips, calendar_date

)

select * from final
