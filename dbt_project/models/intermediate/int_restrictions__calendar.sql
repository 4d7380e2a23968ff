{#
    One row per day from var('calendar_start') (or the first restriction, if earlier) to the
    last day any restriction source speaks of: its latest policy event, period start or end.
    Restrictions still open on that day are "in force as of" it.
#}

with

events as (select * from {{ ref('int_policy_events__categorized') }}),

periods as (select * from {{ ref('int_restrictions__periods') }}),

known_days as (

    select event_date as known_date from events
    union all
    select imposed_date from periods
    union all
    select lifted_date from periods where lifted_date is not null

),

bounds as (

    select
        least(min(known_date), cast('{{ var("calendar_start") }}' as date)) as first_date,
        max(known_date) as last_date
    from known_days

),

days as ({{ day_spine('bounds', 'first_date', 'last_date') }})

select * from days
