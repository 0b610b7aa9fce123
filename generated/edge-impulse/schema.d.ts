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
    "/api/{projectId}/raw-data": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List samples
         * @description Retrieve all raw data by category.
         */
        get: operations["listSamples"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{projectId}/raw-data/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Count samples
         * @description Count all raw data by category.
         */
        get: operations["countSamples"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{projectId}/raw-data/batch/add-metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add metadata (multiple samples)
         * @description Add specific metadata for multiple samples.
         */
        post: operations["batchAddMetadata"];
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
        /** @enum {string} */
        "RawDataFilterCategory-2": "training" | "testing" | "post-processing" | "all";
        /** @enum {string} */
        RawDataCategory: "training" | "testing" | "post-processing";
        Sensor: {
            /**
             * @description Name of the axis
             * @example accX
             */
            name: string;
            /** @description Type of data on this axis. Needs to comply to SenML units (see https://www.iana.org/assignments/senml/senml.xhtml). */
            units: string;
        };
        /** @description This has the _absolute values_ for x/y/w/h (so 0..x (where x is the w/h of the image)) */
        BoundingBox: {
            label: string;
            x: number;
            y: number;
            width: number;
            height: number;
        };
        /** @enum {string} */
        ProjectLabelingMethod: "single_label" | "object_detection" | "label_map";
        /** @description A structured label contains a label, and the range for which this label is valid. `endIndex` is inclusive. E.g. `{ startIndex: 10, endIndex: 13, label: 'running' }` means that the values at index 10, 11, 12, 13 are labeled 'running'. To get time codes you can multiple by the sample's `intervalMs` property. */
        StructuredLabel: {
            /** @description Start index of the label (e.g. 0) */
            startIndex: number;
            /** @description End index of the label (e.g. 3). This value is inclusive, so { startIndex: 0, endIndex: 3 } covers 0, 1, 2, 3. */
            endIndex: number;
            /** @description The label for this section. */
            label: string;
        };
        SampleKeyValueLabels: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "key-values";
            labels: {
                [key: string]: string;
            };
        };
        /**
         * @description Structured sample labels in the form of a key-value map.
         *     This property is optional and only defined for samples with key-value labels.
         */
        SampleLabelMapLabels: components["schemas"]["SampleKeyValueLabels"];
        Sample: {
            /** @example 2 */
            id: number;
            /** @example idle01.d8Ae */
            filename: string;
            /**
             * @description Whether signature validation passed
             * @example true
             */
            signatureValidate: boolean;
            /** @example HS256 */
            signatureMethod?: string;
            /** @description Either the shared key or the public key that was used to validate the sample */
            signatureKey?: string;
            /**
             * Format: date-time
             * @description Timestamp when the sample was created on device, or if no accurate time was known on device, the time that the file was processed by the ingestion service.
             */
            created: string;
            /**
             * Format: date-time
             * @description Timestamp when the sample was last modified.
             */
            lastModified: string;
            /** @example training */
            category: components["schemas"]["RawDataCategory"];
            coldstorageFilename: string;
            /** @example healthy-machine */
            label: string;
            /**
             * @description Interval between two windows (1000 / frequency). If the data was resampled, then this lists the resampled interval.
             * @example 16
             */
            intervalMs: number;
            /**
             * @description Frequency of the sample. If the data was resampled, then this lists the resampled frequency.
             * @example 62.5
             */
            frequency: number;
            /**
             * @description Interval between two windows (1000 / frequency) in the source data (before resampling).
             * @example 16
             */
            originalIntervalMs: number;
            /**
             * @description Frequency of the sample in the source data (before resampling).
             * @example 62.5
             */
            originalFrequency: number;
            deviceName?: string;
            deviceType: string;
            sensors: components["schemas"]["Sensor"][];
            /** @description Number of readings in this file */
            valuesCount: number;
            /** @description Total length (in ms.) of this file */
            totalLengthMs?: number;
            /**
             * Format: date-time
             * @description Timestamp when the sample was added to the current acquisition bucket.
             */
            added: string;
            boundingBoxes: components["schemas"]["BoundingBox"][];
            /** @enum {string} */
            boundingBoxesType: "object_detection" | "constrained_object_detection";
            /** @enum {string} */
            chartType: "chart" | "image" | "video" | "table";
            thumbnailVideo?: string;
            thumbnailVideoFull?: string;
            /** @description True if the current sample is excluded from use */
            isDisabled: boolean;
            /** @description True if the current sample is still processing (e.g. for video) */
            isProcessing: boolean;
            /** @description Set when sample is processing and a job has picked up the request */
            processingJobId?: number;
            /** @description Set when processing this sample failed */
            processingError: boolean;
            /** @description Error (only set when processing this sample failed) */
            processingErrorString?: string;
            /** @description Whether the sample is cropped from another sample (and has crop start / end info) */
            isCropped: boolean;
            /** @description Sample free form associated metadata */
            metadata?: {
                [key: string]: string;
            };
            /** @description Unique identifier of the project this sample belongs to */
            projectId: number;
            /** @description Name of the owner of the project this sample belongs to */
            projectOwnerName?: string;
            /** @description Name of the project this sample belongs to */
            projectName?: string;
            /** @description What labeling flow the project this sample belongs to uses */
            projectLabelingMethod?: components["schemas"]["ProjectLabelingMethod"];
            /** @description Data sample SHA 256 hash (including CBOR envelope if applicable) */
            sha256Hash: string;
            structuredLabels?: components["schemas"]["StructuredLabel"][];
            structuredLabelsList?: string[];
            /** @description If this sample was created by a synthetic data job, it's referenced here. */
            createdBySyntheticDataJobId?: number;
            imageDimensions?: {
                width: number;
                height: number;
            };
            /** @description Video link, cropped and in original resolution. */
            videoUrl?: string;
            /** @description Video link in original resolution. */
            videoUrlFull?: string;
            labelMap?: components["schemas"]["SampleLabelMapLabels"];
        };
        ListSamplesResponse: components["schemas"]["GenericApiResponse"] & {
            samples: components["schemas"]["Sample"][];
            totalCount: number;
        };
        CountSamplesResponse: components["schemas"]["GenericApiResponse"] & {
            count: number;
        };
        BatchAddMetadataRequest: {
            metadataKey: string;
            metadataValue: string;
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
        /** @description Which of the three acquisition categories to retrieve data from */
        "RawDataCategoryQueryParameter-2": components["schemas"]["RawDataFilterCategory-2"];
        /** @description Maximum number of results */
        LimitResultsParameter: number;
        /** @description Offset in results, can be used in conjunction with LimitResultsParameter to implement paging. */
        OffsetResultsParameter: number;
        /** @description Whether to exclude sensors in the response (as these can slow down requests when you have large pages). */
        ExcludeSensorsParameter: boolean;
        /** @description Pass this parameter when querying samples from inside an AI Action job. If you pass this parameter in a multi-stage AI Action, previous proposed changes (from an earlier step) will be applied to the returned dataset. */
        ProposedActionsJobIdParameter: number;
        /** @description If true, only a slice of labels will be returned for samples with multiple labels. */
        TruncateStructuredLabelsParameter: boolean;
        /** @description If not specified, "id-desc" is used. */
        SamplesSortByParameter: "id-desc" | "random";
        /** @description Include only samples with an ID >= this value */
        "FiltersMinIdParameter-2": number;
        /** @description Include only samples with an ID < this value */
        "FiltersMaxIdParameter-2": number;
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
    listSamples: {
        parameters: {
            query: {
                /** @description Which of the three acquisition categories to retrieve data from */
                category: components["parameters"]["RawDataCategoryQueryParameter-2"];
                /** @description Maximum number of results */
                limit?: components["parameters"]["LimitResultsParameter"];
                /** @description Offset in results, can be used in conjunction with LimitResultsParameter to implement paging. */
                offset?: components["parameters"]["OffsetResultsParameter"];
                /** @description Whether to exclude sensors in the response (as these can slow down requests when you have large pages). */
                excludeSensors?: components["parameters"]["ExcludeSensorsParameter"];
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
                /** @description Only include samples with a label >= this value */
                minLabel?: components["parameters"]["FiltersMinLabelParameter"];
                /** @description Only include samples with a label < this value */
                maxLabel?: components["parameters"]["FiltersMaxLabelParameter"];
                /** @description Search query */
                search?: components["parameters"]["SearchQueryParameter"];
                /** @description Pass this parameter when querying samples from inside an AI Action job. If you pass this parameter in a multi-stage AI Action, previous proposed changes (from an earlier step) will be applied to the returned dataset. */
                proposedActionsJobId?: components["parameters"]["ProposedActionsJobIdParameter"];
                /** @description If true, only a slice of labels will be returned for samples with multiple labels. */
                truncateStructuredLabels?: components["parameters"]["TruncateStructuredLabelsParameter"];
                /** @description If not specified, "id-desc" is used. */
                sortBy?: components["parameters"]["SamplesSortByParameter"];
                /** @description Include only samples with a particular data type */
                dataType?: components["parameters"]["FiltersDataTypeParameter"];
                /** @description Include only samples with an ID >= this value */
                minId?: components["parameters"]["FiltersMinIdParameter-2"];
                /** @description Include only samples with an ID < this value */
                maxId?: components["parameters"]["FiltersMaxIdParameter-2"];
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
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListSamplesResponse"];
                };
            };
            /** @description Added by metaclear, not stated by the vendor: the request was refused (unknown project, a malformed filter, or missing credentials). The body, when JSON, is a GenericApiResponse with success false and an error description. */
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
    countSamples: {
        parameters: {
            query: {
                /** @description Which of the three acquisition categories to retrieve data from */
                category: components["parameters"]["RawDataCategoryQueryParameter-2"];
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
                /** @description Only include samples with a label >= this value */
                minLabel?: components["parameters"]["FiltersMinLabelParameter"];
                /** @description Only include samples with a label < this value */
                maxLabel?: components["parameters"]["FiltersMaxLabelParameter"];
                /** @description Search query */
                search?: components["parameters"]["SearchQueryParameter"];
                /** @description Include only samples with a particular data type */
                dataType?: components["parameters"]["FiltersDataTypeParameter"];
                /** @description Include only samples with an ID >= this value */
                minId?: components["parameters"]["FiltersMinIdParameter-2"];
                /** @description Include only samples with an ID < this value */
                maxId?: components["parameters"]["FiltersMaxIdParameter-2"];
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
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CountSamplesResponse"];
                };
            };
            /** @description Added by metaclear, not stated by the vendor: the request was refused (unknown project, a malformed filter, or missing credentials). The body, when JSON, is a GenericApiResponse with success false and an error description. */
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
    batchAddMetadata: {
        parameters: {
            query: {
                /** @description Which of the three acquisition categories to retrieve data from */
                category: components["parameters"]["RawDataCategoryQueryParameter-2"];
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
                minId?: components["parameters"]["FiltersMinIdParameter-2"];
                /** @description Include only samples with an ID < this value */
                maxId?: components["parameters"]["FiltersMaxIdParameter-2"];
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
                "application/json": components["schemas"]["BatchAddMetadataRequest"];
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
            /** @description Added by metaclear, not stated by the vendor: the request was refused (unknown project, a malformed filter, or missing credentials). The body, when JSON, is a GenericApiResponse with success false and an error description. */
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
