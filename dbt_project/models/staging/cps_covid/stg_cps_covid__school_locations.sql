with

source as (

    select * from {{ source('cps_covid', 'school_locations') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- dimensions
        school_name,
        school_slug,
        cast(latitude as {{ dbt.type_float() }}) as latitude,
        cast(longitude as {{ dbt.type_float() }}) as longitude,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
