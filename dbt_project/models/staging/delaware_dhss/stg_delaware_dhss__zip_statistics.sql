with

source as (

    select * from {{ source('delaware_dhss', 'zip_cases') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        zip_code,

        -- dimensions
        county as county_name,
        statistic as statistic_name,
        unit,
        date_used as date_basis,

        -- booleans
        cast(age_adjusted as {{ dbt.type_boolean() }}) as is_age_adjusted,

        -- measures
        cast(value as {{ dbt.type_float() }}) as statistic_value,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
