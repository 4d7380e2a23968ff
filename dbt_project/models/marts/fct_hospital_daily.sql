{#
    HHS patient impact and hospital capacity per state per day, with the COVID-19 patient
    counts per 100,000 residents (states seed populations). A total of adult and pediatric
    figures is null unless both are reported, so a missing pediatric count never reads as 0.
#}

with

hospital as (select * from {{ ref('stg_hhs_hospital__states') }}),

states as (select * from {{ ref('states') }}),

combined as (

    select
        states.state_fips,
        hospital.state_abbreviation,
        states.state_name,
        hospital.report_date,
        states.population,
        hospital.adult_patients_hospitalized_covid_confirmed
            + hospital.pediatric_patients_hospitalized_covid_confirmed as covid_inpatients,
        hospital.adult_patients_hospitalized_covid_confirmed as adult_covid_inpatients,
        hospital.pediatric_patients_hospitalized_covid_confirmed as pediatric_covid_inpatients,
        hospital.adult_icu_patients_covid_confirmed as adult_covid_icu_patients,
        hospital.adult_covid_confirmed_admissions_previous_day
            + hospital.pediatric_covid_confirmed_admissions_previous_day as covid_admissions_previous_day,
        hospital.covid_deaths,
        hospital.inpatient_beds,
        hospital.inpatient_beds_used,
        hospital.inpatient_beds_utilization_numerator,
        hospital.inpatient_beds_utilization_denominator,
        hospital.hospitals_with_critical_staffing_shortage
    from hospital
    inner join states
        on hospital.state_abbreviation = states.state_abbreviation

),

final as (

    select
        state_fips,
        state_abbreviation,
        state_name,
        report_date,
        population,
        covid_inpatients,
        adult_covid_inpatients,
        pediatric_covid_inpatients,
        adult_covid_icu_patients,
        covid_admissions_previous_day,
        covid_deaths,
        inpatient_beds,
        inpatient_beds_used,
        cast(inpatient_beds_utilization_numerator as {{ dbt.type_float() }})
            / nullif(inpatient_beds_utilization_denominator, 0) as inpatient_beds_used_share,
        cast(covid_inpatients as {{ dbt.type_float() }})
            / nullif(inpatient_beds, 0) as inpatient_beds_covid_share,
        cast(covid_inpatients as {{ dbt.type_float() }}) * 100000
            / nullif(population, 0) as covid_inpatients_per_100k,
        cast(adult_covid_icu_patients as {{ dbt.type_float() }}) * 100000
            / nullif(population, 0) as adult_covid_icu_patients_per_100k,
        cast(covid_admissions_previous_day as {{ dbt.type_float() }}) * 100000
            / nullif(population, 0) as covid_admissions_previous_day_per_100k,
        hospitals_with_critical_staffing_shortage
    from combined

)

select * from final
