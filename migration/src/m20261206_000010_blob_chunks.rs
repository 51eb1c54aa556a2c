//! Files kept in the database (the embedded default of the document store): each file is
//! rows of at most 256 KiB, so that neither a write nor a read holds a whole file.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BlobChunks::Table)
                    .col(uuid(BlobChunks::Key))
                    .col(integer(BlobChunks::Seq))
                    .col(blob(BlobChunks::Data))
                    .primary_key(Index::create().col(BlobChunks::Key).col(BlobChunks::Seq))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BlobChunks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BlobChunks {
    Table,
    Key,
    Seq,
    Data,
}
