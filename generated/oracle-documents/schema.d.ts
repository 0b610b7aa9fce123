export interface paths {
    "/files/{fileId}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete Values in File Metadata Collection
         * @description Reset (delete) values in specified fields in a metadata collection.
         *
         *     Note: To remove a metadata value from a file, you must be the owner or have the
         *     manager role for the file.
         *
         *     A request either authenticates the user (HTTP Basic or an OAuth bearer token) or is
         *     authorized by an applink: the `appLinkID` and `accessToken` headers, always sent
         *     together. Inferred: a request authorized only by an applink needs no other
         *     credential, hence the empty security requirement.
         */
        delete: operations["deleteFileMetadataValues"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The request body defines details of the delete values in the metadata collection request. Inferred: both properties are required (the page marks required values in bold, which its text form does not keep, and every example sends both). */
        FileDeleteValuesBody: {
            /**
             * @description Name of the metadata collection, for example CollectionA; a personal collection is named with the prefix "Personal.", for example Personal.CollectionA.
             * @example CollectionA
             */
            collection: string;
            /**
             * @description The fields whose values are deleted, as a comma-separated list, for example A1,A2. Inferred: no field name is empty, so the list has no empty items.
             * @example A1,A2
             */
            fields: string;
        };
        /** @description The response body includes information about the assign collection to a file operation. */
        FileCollectionResponse: {
            /**
             * @description The ID of the file the operation applied to.
             * @example D3C1C1F319CFE6B102095C5DT0000000000100000001
             */
            idList?: string;
            /**
             * @description The type of the item, "file".
             * @example file
             */
            type?: string;
            /**
             * @description "0" when the operation succeeded. Inferred: any other value reports a failure (Oracle's REST APIs for Documents answer "0" on success throughout), and the property is always present (every example carries it), hence required.
             * @example 0
             */
            errorCode: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    deleteFileMetadataValues: {
        parameters: {
            query?: never;
            header?: {
                /** @description Applink access token authorizing the current user to access the parent folder or this file. This parameter is mandatory if appLinkID is used. It can be used as accessToken or AccessToken. */
                accessToken?: string;
                /** @description Applink ID authorizing the current user to access the parent folder or this file. Any time the parameter appLinkID is used, a parameter accessToken must be provided as well. To work, this applink must have at least the contributor role granted. It can be used as appLinkID or AppLinkID. */
                appLinkID?: string;
            };
            path: {
                /** @description Globally unique identifier (GUID) for the file. */
                fileId: string;
            };
            cookie?: never;
        };
        /** @description The request body defines details of the delete values in the metadata collection request. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["FileDeleteValuesBody"];
                "application/xml": components["schemas"]["FileDeleteValuesBody"];
            };
        };
        responses: {
            /** @description The request was fulfilled. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileCollectionResponse"];
                    "application/xml": components["schemas"]["FileCollectionResponse"];
                };
            };
            /** @description Request parameters are not formatted correctly. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Forbidden if the user does not have read permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description File ID is not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
