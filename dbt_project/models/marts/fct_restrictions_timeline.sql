with

classified_events as (

    select * from {{ ref('int_policy_events__categorized') }}

),

states as (

    select * from {{ ref('states') }}

),

final as (

    select
        classified_events.state_fips,
        coalesce(states.state_name, classified_events.state_name) as state_name,
        classified_events.event_date,
        classified_events.category,
        classified_events.event_type,
        classified_events.policy_description as description,
        classified_events.is_local_order,
        'Opportunity Insights Economic Tracker: Policy Milestones - State' as source
    from classified_events
    left join states
        on classified_events.state_fips = states.state_fips

)

select * from final
