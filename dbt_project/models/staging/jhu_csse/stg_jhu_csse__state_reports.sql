with

source as (

    select * from {{ source('jhu_csse', 'daily_reports_us') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        cast(uid as {{ dbt.type_bigint() }}) as place_id,
        fips as state_fips,
        iso3 as iso3_code,

        -- dimensions
        province_state as state_name,
        country_region as country_name,
        cast(lat as {{ dbt.type_float() }}) as latitude,
        cast(long as {{ dbt.type_float() }}) as longitude,

        -- measures
        cast(confirmed as {{ dbt.type_bigint() }}) as cases_cumulative,
        cast(deaths as {{ dbt.type_bigint() }}) as deaths_cumulative,
        cast(recovered as {{ dbt.type_bigint() }}) as recovered_cumulative,
        cast(active as {{ dbt.type_bigint() }}) as active_cases,
        cast(total_test_results as {{ dbt.type_bigint() }}) as test_results_cumulative,
        cast(people_tested as {{ dbt.type_bigint() }}) as people_tested_cumulative,
        cast(people_hospitalized as {{ dbt.type_bigint() }}) as hospitalized_cumulative,
        cast(incident_rate as {{ dbt.type_float() }}) as cases_per_100k,
        cast(testing_rate as {{ dbt.type_float() }}) as test_results_per_100k,
        cast(case_fatality_ratio as {{ dbt.type_float() }}) as case_fatality_percent,
        cast(mortality_rate as {{ dbt.type_float() }}) as mortality_rate_percent,
        cast(hospitalization_rate as {{ dbt.type_float() }}) as hospitalization_percent,

        -- dates
        cast(report_date as date) as report_date,
        cast(last_update as {{ dbt.type_timestamp() }}) as last_updated_at,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
