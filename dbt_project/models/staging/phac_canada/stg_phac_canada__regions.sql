with

source as (

    select * from {{ source('phac_canada', 'covid19') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        cast(pruid as {{ dbt.type_bigint() }}) as region_id,

        -- dimensions
        region_kind,
        prname as region_name,
        prname_fr as region_name_fr,
        cast(update_flag as {{ dbt.type_bigint() }}) as update_flag,

        -- booleans
        (region_kind in ('province', 'territory')) as is_province_or_territory,

        -- measures
        cast(numconf as {{ dbt.type_bigint() }}) as cases_confirmed_cumulative,
        cast(numprob as {{ dbt.type_bigint() }}) as cases_probable_cumulative,
        cast(numdeaths as {{ dbt.type_bigint() }}) as deaths_cumulative,
        cast(numtotal as {{ dbt.type_bigint() }}) as cases_cumulative,
        cast(numtested as {{ dbt.type_bigint() }}) as people_tested_cumulative,
        cast(numtests as {{ dbt.type_bigint() }}) as tests_cumulative,
        cast(numrecover as {{ dbt.type_bigint() }}) as recovered_cumulative,
        cast(percentrecover as {{ dbt.type_float() }}) as recovered_percent,
        cast(ratetested as {{ dbt.type_float() }}) as people_tested_per_million,
        cast(ratetests as {{ dbt.type_float() }}) as tests_per_million,
        cast(numtoday as {{ dbt.type_bigint() }}) as cases_new,
        cast(percentoday as {{ dbt.type_float() }}) as cases_new_percent,
        cast(ratetotal as {{ dbt.type_float() }}) as cases_per_100k,
        cast(ratedeaths as {{ dbt.type_float() }}) as deaths_per_100k,
        cast(numdeathstoday as {{ dbt.type_bigint() }}) as deaths_new,
        cast(percentdeath as {{ dbt.type_float() }}) as case_fatality_percent,
        cast(numtestedtoday as {{ dbt.type_bigint() }}) as people_tested_new,
        cast(numteststoday as {{ dbt.type_bigint() }}) as tests_new,
        cast(numrecoveredtoday as {{ dbt.type_bigint() }}) as recovered_new,
        cast(percentactive as {{ dbt.type_float() }}) as active_percent,
        cast(numactive as {{ dbt.type_bigint() }}) as cases_active,
        cast(rateactive as {{ dbt.type_float() }}) as active_per_100k,
        cast(numtotal_last14 as {{ dbt.type_bigint() }}) as cases_last_14_days,
        cast(ratetotal_last14 as {{ dbt.type_float() }}) as cases_last_14_days_per_100k,
        cast(numdeaths_last14 as {{ dbt.type_bigint() }}) as deaths_last_14_days,
        cast(ratedeaths_last14 as {{ dbt.type_float() }}) as deaths_last_14_days_per_100k,
        cast(numtotal_last7 as {{ dbt.type_bigint() }}) as cases_last_7_days,
        cast(ratetotal_last7 as {{ dbt.type_float() }}) as cases_last_7_days_per_100k,
        cast(numdeaths_last7 as {{ dbt.type_bigint() }}) as deaths_last_7_days,
        cast(ratedeaths_last7 as {{ dbt.type_float() }}) as deaths_last_7_days_per_100k,
        cast(avgtotal_last7 as {{ dbt.type_float() }}) as cases_daily_average_last_7_days,
        cast(avgincidence_last7 as {{ dbt.type_float() }}) as cases_daily_average_last_7_days_per_100k,
        cast(avgdeaths_last7 as {{ dbt.type_float() }}) as deaths_daily_average_last_7_days,
        cast(avgratedeaths_last7 as {{ dbt.type_float() }}) as deaths_daily_average_last_7_days_per_100k,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
