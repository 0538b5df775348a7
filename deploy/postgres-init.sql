-- The warehouse database, next to the catalog database the image creates from POSTGRES_DB.
CREATE DATABASE fletcher_warehouse OWNER fletcher;
