with

source as (

    select * from {{ source('cps_covid', 'school_snapshots') }}
    where _superseded_load_id is null

),

captures as (

    -- a day captured twice keeps only its later capture
    select
        *,
        max(captured_at) over (partition by snapshot_date) as latest_captured_at
    from source

),

renamed as (

    select
        -- ids
        school_key,
        cast(school_id as {{ dbt.type_bigint() }}) as school_id,
        school_id_match as school_id_match_method,

        -- dimensions
        school_name,
        coalesce(school_id = 999999, false) as is_administrative,
        cast(latitude as {{ dbt.type_float() }}) as latitude,
        cast(longitude as {{ dbt.type_float() }}) as longitude,

        -- measures
        cast(cases_cumulative as {{ dbt.type_bigint() }}) as cases_cumulative,
        cumulative_basis,
        cast(cases_7day as {{ dbt.type_bigint() }}) as cases_last_7_days,
        cast(cases_14day as {{ dbt.type_bigint() }}) as cases_last_14_days,
        cast(cases_q3_sy20 as {{ dbt.type_bigint() }}) as cases_q3_sy20,
        cast(cases_q4_sy20 as {{ dbt.type_bigint() }}) as cases_q4_sy20,
        cast(cases_summer_sy20 as {{ dbt.type_bigint() }}) as cases_summer_sy20,
        cast(cases_q1_sy21 as {{ dbt.type_bigint() }}) as cases_q1_sy21,
        cast(cases_q2_sy21 as {{ dbt.type_bigint() }}) as cases_q2_sy21,

        -- dates
        cast(snapshot_date as date) as snapshot_date,
        cast(captured_at as {{ dbt.type_timestamp() }}) as captured_at,

        -- lineage
        _load_id as load_id

    from captures
    where captured_at = latest_captured_at

)

select * from renamed
