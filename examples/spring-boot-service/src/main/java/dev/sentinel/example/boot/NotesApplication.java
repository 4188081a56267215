package dev.sentinel.example.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A multi-tenant notes service on Sentinel's Spring Boot starter. */
@SpringBootApplication
public class NotesApplication {

    /**
     * Starts the service.
     *
     * @param args command-line properties
     */
    public static void main(String[] args) {
        SpringApplication.run(NotesApplication.class, args);
    }
}
