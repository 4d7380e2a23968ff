with

rates as (select * from {{ ref('stg_delaware_dhss__zip_case_rates') }}),

centroids as (select * from {{ ref('stg_delaware_dhss__zip_centroids') }}),

final as (

    select
        rates.zip_code,
        centroids.latitude,
        centroids.longitude,
        rates.cases_per_10k_people,
        rates.snapshot_date
    from rates
    left join centroids
        on rates.zip_code = centroids.zip_code

)

select * from final
