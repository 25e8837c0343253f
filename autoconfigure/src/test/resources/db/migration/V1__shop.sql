create table shop_order (
    id   bigint primary key,
    item text not null
);
