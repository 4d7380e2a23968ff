with

daily as (select * from {{ ref('int_restrictions__daily') }}),

states as (select * from {{ ref('states') }}),

final as (

    select
        daily.state_fips,
        states.state_name,
        daily.calendar_date,
        {% for category in restriction_categories() -%}
        daily.is_{{ category }}_restricted,
        {% endfor -%}
        daily.restrictions_in_force
    from daily
    left join states
        on daily.state_fips = states.state_fips

)

select * from final
