with

source as (

    select * from {{ source('hhs_hospital', 'patient_impact_state') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        state as state_abbreviation,

        -- measures
        cast(critical_staffing_shortage_today_yes as {{ dbt.type_bigint() }}) as hospitals_with_critical_staffing_shortage,
        cast(inpatient_beds as {{ dbt.type_bigint() }}) as inpatient_beds,
        cast(inpatient_beds_used as {{ dbt.type_bigint() }}) as inpatient_beds_used,
        cast(previous_day_admission_adult_covid_confirmed as {{ dbt.type_bigint() }}) as adult_covid_confirmed_admissions_previous_day,
        cast(previous_day_admission_pediatric_covid_confirmed as {{ dbt.type_bigint() }}) as pediatric_covid_confirmed_admissions_previous_day,
        cast(staffed_icu_adult_patients_confirmed_covid as {{ dbt.type_bigint() }}) as adult_icu_patients_covid_confirmed,
        cast(total_adult_patients_hospitalized_confirmed_covid as {{ dbt.type_bigint() }}) as adult_patients_hospitalized_covid_confirmed,
        cast(total_pediatric_patients_hospitalized_confirmed_covid as {{ dbt.type_bigint() }}) as pediatric_patients_hospitalized_covid_confirmed,
        cast(inpatient_beds_utilization_numerator as {{ dbt.type_bigint() }}) as inpatient_beds_utilization_numerator,
        cast(inpatient_beds_utilization_denominator as {{ dbt.type_bigint() }}) as inpatient_beds_utilization_denominator,
        cast(deaths_covid as {{ dbt.type_bigint() }}) as covid_deaths,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
