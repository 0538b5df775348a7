package dev.fletcher.server.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a REST endpoint needs. Every endpoint method declares one; a method without it is refused to
 * everyone (and the role test fails), so no endpoint is left open by omission.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
    Role value();
}
