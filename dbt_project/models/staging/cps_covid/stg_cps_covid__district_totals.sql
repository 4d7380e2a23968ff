with

source as (

    select * from {{ source('cps_covid', 'district_totals') }}
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
        -- measures
        cast(cases_daily as {{ dbt.type_bigint() }}) as cases_new,
        cast(cases_running as {{ dbt.type_bigint() }}) as cases_running_total,
        cast(cases_7day_legacy as {{ dbt.type_float() }}) as cases_7day_legacy,
        cast(cases_7day_sum as {{ dbt.type_bigint() }}) as cases_last_7_days,
        cast(cases_7day_avg as {{ dbt.type_float() }}) as cases_last_7_days_daily_average,
        cast(cases_14day_sum as {{ dbt.type_bigint() }}) as cases_last_14_days,
        cast(cases_14day_avg as {{ dbt.type_float() }}) as cases_last_14_days_daily_average,

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
