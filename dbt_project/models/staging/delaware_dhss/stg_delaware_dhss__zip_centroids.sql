with

source as (

    select * from {{ source('delaware_dhss', 'zip_centroids') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        zip_code,

        -- measures
        cast(latitude as {{ dbt.type_float() }}) as latitude,
        cast(longitude as {{ dbt.type_float() }}) as longitude,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
