DROP TABLE document_versions;
DROP TABLE documents;
DROP TABLE library_folders;
