with

source as (

    select * from {{ source('delaware_dhss', 'zip_case_rates') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        zip_code,

        -- measures
        cast(cases_per_10k as {{ dbt.type_float() }}) as cases_per_10k_people,

        -- dates
        cast(snapshot_date as date) as snapshot_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
