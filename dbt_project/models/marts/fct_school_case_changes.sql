{#
    Chicago Public Schools cases per school between snapshots of the publisher's cumulative
    file. A school is its school_key (its CPS_School_ID; schools in the early, ID-less
    snapshots were given theirs by name or location when loaded), so a renamed school stays
    one school; school_name is its name in that snapshot, latest_school_name its latest.
#}

with

snapshots as (select * from {{ ref('stg_cps_covid__school_snapshots') }}),

with_previous as (

    select
        *,
        lag(snapshot_date) over (
            partition by school_key order by snapshot_date
        ) as previous_snapshot_date,
        lag(cases_cumulative) over (
            partition by school_key order by snapshot_date
        ) as previous_cases_cumulative,
        last_value(school_name) over (
            partition by school_key order by snapshot_date
            rows between unbounded preceding and unbounded following
        ) as latest_school_name
    from snapshots

),

final as (

    select
        school_key,
        school_id,
        school_name,
        latest_school_name,
        is_administrative,
        latitude,
        longitude,
        snapshot_date,
        previous_snapshot_date,
        {{ dbt.datediff('previous_snapshot_date', 'snapshot_date', 'day') }}
            as days_since_previous_snapshot,
        cases_cumulative,
        cumulative_basis,
        cases_cumulative - previous_cases_cumulative as new_cases
    from with_previous

)

select * from final
