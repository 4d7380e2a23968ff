{#-
    The build log, written by the project's hooks on every `dbt run` and `dbt build`:
    meta.dbt_builds has one row per invocation ('running', then 'succeeded' or 'failed') and
    meta.dbt_model_builds one row per model it ran, with the model's own status. The views
    history.builds and history.mart_builds show them to the read-only role: the API dates each
    mart (ETag, Last-Modified) by its last successful build. Other commands, and engines other
    than Postgres (the API reads Postgres), log nothing.
-#}

{% macro build_log_start() %}
    {%- if execute and flags.WHICH in ('run', 'build') and target.type == 'postgres' -%}
        create schema if not exists meta;
        create schema if not exists history;
        create table if not exists meta.dbt_builds (
            invocation_id text primary key,
            command text not null,
            status text not null,
            started_at timestamptz not null,
            finished_at timestamptz
        );
        create table if not exists meta.dbt_model_builds (
            invocation_id text not null references meta.dbt_builds (invocation_id),
            model text not null,
            schema_name text not null,
            status text not null,
            finished_at timestamptz not null,
            primary key (invocation_id, model)
        );
        create or replace view history.builds as
        select invocation_id, command, status, started_at, finished_at from meta.dbt_builds;
        create or replace view history.mart_builds as
        -- the last build of each model with each status
        select distinct on (model, status)
            model, schema_name, status, invocation_id, finished_at
        from meta.dbt_model_builds
        order by model, status, finished_at desc;
        insert into meta.dbt_builds (invocation_id, command, status, started_at)
        values ('{{ invocation_id }}', '{{ flags.WHICH }}', 'running', now());
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}

{% macro build_log_end(results) %}
    {%- if execute and flags.WHICH in ('run', 'build') and target.type == 'postgres' -%}
        {%- set models = results | selectattr('node.resource_type', 'equalto', 'model') | list -%}
        {%- set failed = results | selectattr('status', 'in', ['error', 'fail']) | list -%}
        {%- for result in models %}
        insert into meta.dbt_model_builds
            (invocation_id, model, schema_name, status, finished_at)
        values (
            '{{ invocation_id }}', '{{ result.node.name }}', '{{ result.node.schema }}',
            '{{ result.status }}', clock_timestamp()
        );
        {%- endfor %}
        update meta.dbt_builds
        set status = '{{ "failed" if failed else "succeeded" }}', finished_at = now()
        where invocation_id = '{{ invocation_id }}';
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
