with

source as (

    select * from {{ source('cps_covid', 'school_case_counts') }}
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

        -- dimensions
        count_kind,

        -- measures
        cast(cases as {{ dbt.type_bigint() }}) as cases,

        -- dates
        cast(report_date as date) as report_date,
        cast(snapshot_date as date) as snapshot_date,
        cast(captured_at as {{ dbt.type_timestamp() }}) as captured_at,

        -- lineage
        _load_id as load_id

    from captures
    where captured_at = latest_captured_at

)

select * from renamed
