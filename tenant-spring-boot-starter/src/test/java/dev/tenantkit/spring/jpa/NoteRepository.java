package dev.tenantkit.spring.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** A Spring Data repository: no tenant in any method, TenantDataSource routes and RLS filters. */
public interface NoteRepository extends JpaRepository<Note, Long> {}
