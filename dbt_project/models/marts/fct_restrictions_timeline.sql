with

periods as (select * from {{ ref('int_restrictions__periods') }}),

calendar as (select * from {{ ref('int_restrictions__calendar') }}),

states as (select * from {{ ref('states') }}),

as_of as (

    select max(calendar_date) as as_of_date from calendar

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'periods.source', "'|'", 'periods.state_fips', "'|'", 'periods.category', "'|'",
            dbt.cast('periods.imposed_date', dbt.type_string()), "'|'", 'periods.imposed_description'
        ])) }} as restriction_period_id,
        periods.state_fips,
        states.state_name,
        periods.category,
        periods.imposed_date,
        periods.lifted_date,
        -- the lifted day is not in force; an open period is in force through the as-of day
        case
            when periods.lifted_date is not null
                then {{ dbt.datediff('periods.imposed_date', 'periods.lifted_date', 'day') }}
            else {{ dbt.datediff('periods.imposed_date', 'as_of.as_of_date', 'day') }} + 1
        end as days_in_force,
        periods.lifted_date is not null as is_lifted,
        periods.category in (
            {%- for category in restriction_categories() %}'{{ category }}'{% if not loop.last %}, {% endif %}{% endfor -%}
        ) as is_counted_in_force,
        as_of.as_of_date,
        periods.imposed_description,
        periods.lifted_description,
        periods.source
    from periods
    cross join as_of
    left join states
        on periods.state_fips = states.state_fips

)

select * from final
