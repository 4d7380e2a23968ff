{#
    Which restriction categories are in force in each state on each day. A category is in
    force from a statewide closure event (regional closures ordered by the state count; local
    orders and 'other' events do not) until the next reopening of the same category in that
    state: the latest closure or reopening on or before the day decides, and a closure wins
    over a reopening of the same category on the same day. Days run from var('calendar_start')
    (or the first event, if earlier) to the last policy event of any state.
#}

{% set categories = ['schools', 'nonessential_business', 'stay_at_home', 'gatherings', 'dining'] %}

with

events as (

    select * from {{ ref('int_policy_events__categorized') }}

),

status_changes as (

    select
        state_fips,
        category,
        event_date,
        max(case when event_type = 'closure' then 1 else 0 end) as is_closed
    from events
    where event_type in ('closure', 'reopening')
    group by state_fips, category, event_date

),

bounds as (

    select
        least(min(event_date), cast('{{ var("calendar_start") }}' as date)) as first_date,
        max(event_date) as last_date
    from events

),

days as ({{ day_spine('bounds', 'first_date', 'last_date') }}),

state_category_days as (

    select
        states.state_fips,
        categories.category,
        days.calendar_date
    from (select distinct state_fips from events) as states
    cross join (
        {% for category in categories -%}
        select '{{ category }}' as category{% if not loop.last %} union all{% endif %}
        {% endfor %}
    ) as categories
    cross join days

),

changes_numbered as (

    -- change_number counts the status changes so far: days sharing it share one status
    select
        state_category_days.*,
        status_changes.is_closed,
        count(status_changes.is_closed) over (
            partition by state_category_days.state_fips, state_category_days.category
            order by state_category_days.calendar_date
            rows between unbounded preceding and current row
        ) as change_number
    from state_category_days
    left join status_changes
        on state_category_days.state_fips = status_changes.state_fips
        and state_category_days.category = status_changes.category
        and state_category_days.calendar_date = status_changes.event_date

),

in_force as (

    select
        *,
        coalesce(max(is_closed) over (
            partition by state_fips, category, change_number
        ), 0) as is_in_force
    from changes_numbered

),

final as (

    select
        state_fips,
        calendar_date,
        {% for category in categories -%}
        max(case when category = '{{ category }}' then is_in_force end) = 1
            as is_{{ category }}_restricted,
        {% endfor -%}
        sum(is_in_force) as restrictions_in_force
    from in_force
    group by state_fips, calendar_date

)

select * from final
