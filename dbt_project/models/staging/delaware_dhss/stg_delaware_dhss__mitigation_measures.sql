with

source as (

    select * from {{ source('delaware_dhss', 'mitigation_timeline') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- dimensions
        mitigation as measure_description,

        -- booleans
        cast(until_further_notice as boolean) as is_until_further_notice,

        -- dates
        cast(start_date as date) as start_date,
        cast(until_date as date) as end_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
