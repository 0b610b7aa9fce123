export interface paths {
    "/api/{projectId}/raw-data/batch/clear-metadata-by-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Clear metadata by key (multiple samples)
         * @description Clears a specific metadata field (by key) for multiple samples.
         */
        post: operations["batchClearMetadataByKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{projectId}/jobs/{jobId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get job status
         * @description Get the status for a job.
         */
        get: operations["getJobStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @enum {string} */
        RawDataFilterCategory: "training" | "testing" | "validation" | "post-processing" | "all";
        BatchClearMetadataByKeyRequest: {
            metadataKey: string;
        };
        GenericApiResponse: {
            /** @description Whether the operation succeeded */
            success: boolean;
            /** @description Optional error description (set if 'success' was false) */
            error?: string;
        };
        StartJobResponse: components["schemas"]["GenericApiResponse"] & {
            /**
             * @description Job identifier. Status updates will include this identifier.
             * @example 12873488112
             */
            id: number;
        };
        CreatedUpdatedByUser: {
            id: number;
            name: string;
            username: string;
            photo?: string;
        };
        Job: {
            /** @description Job id, use this to refer back to the job. The web socket API also uses this ID. */
            id: number;
            /** @description User-friendly category (e.g. "Training model") */
            category: string;
            /** @description Machine-readable category (e.g. "learn-train-studio-wrapper") */
            categoryKey: string;
            /** @description External job identifier, this can be used to categorize jobs, and recover job status. E.g. set this to 'keras-192' for a Keras learning block with ID 192. When a user refreshes the page you can check whether a job is active for this ID and re-attach. */
            key: string;
            /**
             * Format: date-time
             * @description When the job was created.
             */
            created: string;
            /**
             * Format: date-time
             * @description When the job was started.
             */
            started?: string;
            /**
             * Format: date-time
             * @description When the job was finished.
             */
            finished?: string;
            /** @description Whether the job finished successfully. */
            finishedSuccessful?: boolean;
            /** @description The IDs of users who should be notified when a job is finished. */
            jobNotificationUids: number[];
            /** @description Additional metadata associated with this job. */
            additionalInfo?: string;
            /** @description Job duration time in seconds from start to finished, measured by k8s job watcher. */
            computeTime?: number;
            /** @description The user who started this job. */
            createdByUser?: components["schemas"]["CreatedUpdatedByUser"];
            /** @description Some job categories keep a counter on the job number, e.g. in synthetic data, so we know what the 1st, 2nd etc. job was in the UI. */
            categoryCount?: number;
            /** @description Structured job metadata */
            metadata?: Record<string, never>;
        };
        GetJobResponse: components["schemas"]["GenericApiResponse"] & {
            job: components["schemas"]["Job"];
        };
    };
    responses: never;
    parameters: {
        /** @description Project ID */
        ProjectIdParameter: number;
        /** @description Which of the three acquisition categories to retrieve data from */
        RawDataCategoryQueryParameter: components["schemas"]["RawDataFilterCategory"];
        /** @description Only include samples with a label within the given list of labels, given as a JSON string */
        FiltersLabelsParameter: string;
        /** @description Only include samples whose filename includes the given filename */
        FiltersFilenameParameter: string;
        /** @description Only include samples shorter than the given length, in milliseconds */
        FiltersMaxLengthParameter: number;
        /** @description Only include samples longer than the given length, in milliseconds */
        FiltersMinLengthParameter: number;
        /** @description Only include samples with higher frequency than given frequency, in hertz */
        FiltersMinFrequencyParameter: number;
        /** @description Only include samples with lower frequency than given frequency, in hertz */
        FiltersMaxFrequencyParameter: number;
        /** @description Include samples with either valid or invalid signatures */
        FiltersSignatureParameter: "both" | "valid" | "invalid";
        /** @description Include only enabled or disabled samples (or both) */
        FiltersDisabledParameter: "both" | "enabled" | "disabled";
        /** @description Only include samples with an ID within the given list of IDs, given as a JSON string */
        FiltersIdsParameter: string;
        /** @description Exclude samples with an ID within the given list of IDs, given as a JSON string */
        FiltersExcludeIdsParameter: string;
        /** @description Only include samples with a label >= this value */
        FiltersMinLabelParameter: number;
        /** @description Only include samples with a label < this value */
        FiltersMaxLabelParameter: number;
        /** @description Search query */
        SearchQueryParameter: string;
        /** @description Include only samples with a particular data type */
        FiltersDataTypeParameter: "audio" | "image";
        /** @description Include only samples with an ID >= this value */
        FiltersMinIdParameter: number;
        /** @description Include only samples with an ID < this value */
        FiltersMaxIdParameter: number;
        /**
         * @description Filter samples by metadata key-value pairs, provided as a JSON string.
         *     Each item in the filter list is an object with the following properties:
         *         - "key": Metadata key to filter on.
         *         - "op": Operator ("eq" for positive match, "neq" for negative match).
         *         - "values": (optional) Array of values to match/exclude. If omitted or empty, matches/excludes all values for the key.
         *     In addition to filter objects, the following option objects can be specified:
         *         - { "no_metadata": boolean } - If true, include samples without any metadata
         *         - { "filters_combinator": ("and" | "or") } - Specifies the combinator and matching mode:
         *             - "and": All filter items must match (logical AND).
         *             - "or": Any filter item may match (logical OR); samples with metadata keys not present in the filters are included.
         */
        FiltersMetadataParameter: string;
        /** @description Only include samples that where added after the date given */
        FiltersMinDateParameter: string;
        /** @description Only include samples that were added before the date given */
        FiltersMaxDateParameter: string;
        /** @description Job ID */
        JobIdParameter: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    batchClearMetadataByKey: {
        parameters: {
            query: {
                /** @description Which of the three acquisition categories to retrieve data from */
                category: components["parameters"]["RawDataCategoryQueryParameter"];
                /** @description Only include samples with a label within the given list of labels, given as a JSON string */
                labels?: components["parameters"]["FiltersLabelsParameter"];
                /** @description Only include samples whose filename includes the given filename */
                filename?: components["parameters"]["FiltersFilenameParameter"];
                /** @description Only include samples shorter than the given length, in milliseconds */
                maxLength?: components["parameters"]["FiltersMaxLengthParameter"];
                /** @description Only include samples longer than the given length, in milliseconds */
                minLength?: components["parameters"]["FiltersMinLengthParameter"];
                /** @description Only include samples with higher frequency than given frequency, in hertz */
                minFrequency?: components["parameters"]["FiltersMinFrequencyParameter"];
                /** @description Only include samples with lower frequency than given frequency, in hertz */
                maxFrequency?: components["parameters"]["FiltersMaxFrequencyParameter"];
                /** @description Include samples with either valid or invalid signatures */
                signatureValidity?: components["parameters"]["FiltersSignatureParameter"];
                /** @description Include only enabled or disabled samples (or both) */
                includeDisabled?: components["parameters"]["FiltersDisabledParameter"];
                /** @description Only include samples with an ID within the given list of IDs, given as a JSON string */
                ids?: components["parameters"]["FiltersIdsParameter"];
                /** @description Exclude samples with an ID within the given list of IDs, given as a JSON string */
                excludeIds?: components["parameters"]["FiltersExcludeIdsParameter"];
                /** @description Only include samples with a label >= this value */
                minLabel?: components["parameters"]["FiltersMinLabelParameter"];
                /** @description Only include samples with a label < this value */
                maxLabel?: components["parameters"]["FiltersMaxLabelParameter"];
                /** @description Search query */
                search?: components["parameters"]["SearchQueryParameter"];
                /** @description Include only samples with a particular data type */
                dataType?: components["parameters"]["FiltersDataTypeParameter"];
                /** @description Include only samples with an ID >= this value */
                minId?: components["parameters"]["FiltersMinIdParameter"];
                /** @description Include only samples with an ID < this value */
                maxId?: components["parameters"]["FiltersMaxIdParameter"];
                /**
                 * @description Filter samples by metadata key-value pairs, provided as a JSON string.
                 *     Each item in the filter list is an object with the following properties:
                 *         - "key": Metadata key to filter on.
                 *         - "op": Operator ("eq" for positive match, "neq" for negative match).
                 *         - "values": (optional) Array of values to match/exclude. If omitted or empty, matches/excludes all values for the key.
                 *     In addition to filter objects, the following option objects can be specified:
                 *         - { "no_metadata": boolean } - If true, include samples without any metadata
                 *         - { "filters_combinator": ("and" | "or") } - Specifies the combinator and matching mode:
                 *             - "and": All filter items must match (logical AND).
                 *             - "or": Any filter item may match (logical OR); samples with metadata keys not present in the filters are included.
                 */
                metadata?: components["parameters"]["FiltersMetadataParameter"];
                /** @description Only include samples that where added after the date given */
                minDate?: components["parameters"]["FiltersMinDateParameter"];
                /** @description Only include samples that were added before the date given */
                maxDate?: components["parameters"]["FiltersMaxDateParameter"];
            };
            header?: never;
            path: {
                /** @description Project ID */
                projectId: components["parameters"]["ProjectIdParameter"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchClearMetadataByKeyRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GenericApiResponse"] | components["schemas"]["StartJobResponse"];
                };
            };
        };
    };
    getJobStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project ID */
                projectId: components["parameters"]["ProjectIdParameter"];
                /** @description Job ID */
                jobId: components["parameters"]["JobIdParameter"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetJobResponse"];
                };
            };
            /** @description Added by metaclear, not stated by the vendor: the request was refused (unknown project or job, or missing credentials). The body, when JSON, is a GenericApiResponse with success false and an error description. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GenericApiResponse"];
                };
            };
        };
    };
}
