{#
    Each policy event classified into restriction categories by the `policy_event_rules` seed:
    within a category, the matching rule with the lowest rule_order decides the event type.
    An event matching no rule is kept once as category 'other', event type 'other'.
    Local orders (a description naming neither the state nor its postal abbreviation first,
    e.g. "Atlanta issued stay at home order") keep their category but count as event type
    'other': they do not change what is in force statewide.
#}

with

events as (

    select * from {{ ref('stg_oi_economic_tracker__policy_milestones_state') }}

),

rules as (

    select * from {{ ref('policy_event_rules') }}

),

states as (

    select * from {{ ref('states') }}

),

located as (

    select
        events.*,
        coalesce(not (
            lower(events.policy_description) like {{ dbt.concat(["lower(states.state_name)", "'%'"]) }}
            or lower(events.policy_description) like {{ dbt.concat(["lower(states.state_abbreviation)", "' %'"]) }}
        ), false) as is_local_order
    from events
    left join states
        on events.state_fips = states.state_fips

),

matches as (

    select
        located.state_fips,
        located.event_date,
        located.policy_description,
        rules.category,
        rules.event_type,
        row_number() over (
            partition by
                located.state_fips, located.event_date, located.policy_description, rules.category
            order by rules.rule_order
        ) as match_rank
    from located
    inner join rules
        on lower(located.policy_description) like rules.description_pattern

),

classified as (

    select
        located.state_fips,
        located.state_name,
        located.event_date,
        located.policy_description,
        located.is_local_order,
        coalesce(matches.category, 'other') as category,
        case
            when matches.event_type is null or located.is_local_order then 'other'
            else matches.event_type
        end as event_type
    from located
    left join matches
        on located.state_fips = matches.state_fips
        and located.event_date = matches.event_date
        and located.policy_description = matches.policy_description
        and matches.match_rank = 1

)

select * from classified
