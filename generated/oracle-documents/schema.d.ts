export interface paths {
    "/files/{fileId}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get File Metadata Collection
         * @description Get the values assigned to the fields of the metadata collections of a file.
         *
         *     Values are inherited: a value set on a folder applies to the files beneath it unless it
         *     is set on the file itself. With `directAssigned=1` the answer holds only the collections
         *     assigned directly to the file, with `directAssigned=0` also the values inherited from
         *     the parent folders' collections. Deleting a file's own value lets an inherited one show
         *     again, so a value read with `directAssigned=1` is the file's own.
         *
         *     Applink headers as for the DELETE of this path. Inferred: as for the DELETE, no page
         *     states whether an applink request may omit Authorization; this description allows it.
         */
        get: operations["getFileMetadataCollection"];
        put?: never;
        /**
         * Assign Values to a File Metadata Collection
         * @description Set values of fields of a metadata collection that is already assigned to the file.
         *     It takes the contributor or manager role on the file; through an applink, the applink
         *     needs the contributor role or above. Applink headers as for the DELETE of this path.
         *
         *     The body names the collection and its fields in one of two forms: `collection` with
         *     one property per field (`{"collection": "CollectionA", "FieldA1": "Value1"}`), or one
         *     property per qualified field name (`{"CollectionA.FieldA1": "Value1"}`); a personal
         *     collection's name starts with `Personal.`. Inferred: as for the DELETE, no page states
         *     whether an applink request may omit Authorization; this description allows it.
         */
        post: operations["assignFileMetadataValues"];
        /**
         * Delete Values in File Metadata Collection
         * @description Reset (delete) values in specified fields in a metadata collection.
         *
         *     Note: To remove a metadata value from a file, you must be the owner or have the
         *     manager role for the file.
         *
         *     A request authenticates the user with HTTP Basic or an OAuth bearer token ("Authorization"
         *     page). An applink lets a caller act on a file or folder not shared with them: the
         *     `appLinkID` and `accessToken` headers, always sent together, act on behalf of the user
         *     the applink was created for, and its role must be contributor or above to change
         *     metadata. An applink's access token expires 15 minutes after it is issued; a request
         *     with an expired one is answered 400 with errorCode -26 ("Applinks Resource", "Error
         *     Messages"). Inferred: no page states whether an applink request may omit Authorization
         *     (Oracle's examples omit every authentication header); this description allows it, hence
         *     the empty security requirement.
         *
         *     `x-metaclear-header-dependencies` is metaclear's own extension: the machine-readable form
         *     of the rule the page states for appLinkID ("a parameter accessToken must be provided as
         *     well"), which metaclear's sandbox enforces.
         */
        delete: operations["deleteFileMetadataValues"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/applinks/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Refresh Applink Token
         * @description Exchange an applink's refresh token for a new access token. An applink's access token
         *     expires 15 minutes after it is issued; its refresh token, issued with it when the
         *     applink is created, is valid for 24 hours and can be used any number of times within
         *     them. The request has no body; it carries the applink's ID, its access token (the
         *     expired or the current one) and its refresh token as headers (Oracle's example writes
         *     them AppLinkID, AccessToken and RefreshToken).
         *
         *     Inferred: the page states no authentication beside the three headers; this description
         *     allows a request with or without Authorization, as for the applink requests on files.
         */
        put: operations["refreshAppLinkToken"];
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
        /** @description The request body defines details of the delete values in the metadata collection request. Both properties are required (the page's expanded schema marks them in bold). Inferred: in XML, the root element is named after the page's root schema. */
        FileDeleteValuesBody: {
            /**
             * @description The collection name, for example CollectionA; a user's personal collection starts with "Personal.", for example Personal.MyCollection.
             * @example CollectionA
             */
            collection: string;
            /**
             * @description One or more field names, separated by commas, whose values are deleted, for example A1,A2.
             * @example A1,A2
             */
            fields: string;
        };
        /** @description The response body includes information about the assign collection to a file operation. Inferred: errorCode is always present (every example carries it), hence required; in XML, the root element is named after the page's root schema. */
        FileCollectionResponse: {
            /**
             * @description The file's GUID.
             * @example D3C1C1F319CFE6B102095C5DT0000000000100000001
             */
            idList?: string;
            /**
             * @description The type of the item, "file".
             * @example file
             */
            type?: string;
            errorCode: components["schemas"]["ErrorCode"];
        };
        /** @description The values assigned to the file's metadata fields ("Get File Metadata Collection"). Inferred: errorCode is always present (Oracle's example carries it), hence required; the values of the fields are shown as strings in Oracle's example, but no page states their type, so none is required. */
        FileGetCollectionResponse: {
            /**
             * @description The file's GUID.
             * @example D3C1C1F319CFE6B102095C5DT0000000000100000001
             */
            idList?: string;
            /**
             * @description The type of the item, "file".
             * @example file
             */
            type?: string;
            errorCode: components["schemas"]["ErrorCode"];
            /** @description The collections, by name (a personal collection's name starts with "Personal."), each an object of field name to value. */
            metadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        };
        /** @description The collection and the values to assign ("Assign Values to a File Metadata Collection"); it has no required attributes. Either `collection` with one property per field name, or one property per qualified name `<collection>.<field>`. Inferred: the values are shown as strings in Oracle's examples, but no page states their type, so none is required. */
        FileAssignValuesBody: {
            /**
             * @description The collection name, for example CollectionA; a user's personal collection starts with "Personal.", for example Personal.MyCollection.
             * @example CollectionA
             */
            collection?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description The answer of "Refresh Applink Token": the new access token. Inferred: errorCode is always present (Oracle's example carries it), hence required. */
        ApplinkTokenResponse: {
            /** @description The applink's new access token (valid for 15 minutes). */
            accessToken?: string;
            /**
             * @description The type of the item, "applink".
             * @example applink
             */
            type?: string;
            errorCode: components["schemas"]["ErrorCode"];
        };
        /**
         * @description An error code: zero (0) indicates no errors, a negative value an error ("Error Messages"). Oracle's schema table declares it a number, while every example on Oracle's pages shows it as a JSON string ("0", "-16"); both forms are accepted, so 0 and "0" are success and any other value, number or string, is a failure. Codes documented there include -1 (general error), -16 (item not found, HTTP 404), -17 (an item of that name already exists), -20 (insufficient privileges, HTTP 403) and -26 (the link is invalid or has expired, HTTP 400).
         * @example 0
         */
        ErrorCode: number | string;
        /** @description The body of a failed request ("Error Messages"). Inferred: errorCode is always present; Oracle's own example carries no errorKey, so errorKey and errorMessage may be absent. */
        ErrorResponse: {
            errorCode: components["schemas"]["ErrorCode"];
            /** @description A machine-readable key of the message. */
            errorKey?: string;
            /** @description A human-readable message, localised according to the request's Accept-Language header. */
            errorMessage?: string;
        };
    };
    responses: {
        /** @description Request parameters are not formatted correctly. An applink whose access token is invalid or has expired is answered 400 with errorCode -26 ("Error Messages"). Inferred: the body is Oracle's error body; the operation's page documents none. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Forbidden if the user does not have read permission. Insufficient privileges are reported with errorCode -20 ("Error Messages"). Inferred: the body is Oracle's error body; the operation's page documents none. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description File ID is not found. An item that is not found is reported with errorCode -16 ("Error Messages"). Inferred: the body is Oracle's error body; the operation's page documents none. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Any other failure, answered with Oracle's error body ("Error Messages"); errorCode -1 is a general error. Inferred: the operation's page documents no other answer. */
        OtherError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: {
        /** @description Globally unique identifier (GUID) for the file. */
        FileId: string;
        /** @description Applink access token authorizing the current user to access the parent folder or this file. This parameter is mandatory if appLinkID is used. It can be used as accessToken or AccessToken. */
        AccessToken: string;
        /** @description Applink ID authorizing the current user to access the parent folder or this file. Any time the parameter appLinkID is used, a parameter accessToken must be provided as well. To work, this applink must have at least the contributor role granted. It can be used as appLinkID or AppLinkID. */
        AppLinkID: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getFileMetadataCollection: {
        parameters: {
            query?: {
                /** @description 1 returns only the collections assigned directly to the file; 0 also the values inherited from the parent folders' collections. Inferred: the page states no default; a client that needs either reading sends the parameter. */
                directAssigned?: string;
            };
            header?: {
                /** @description Applink access token authorizing the current user to access the parent folder or this file. This parameter is mandatory if appLinkID is used. It can be used as accessToken or AccessToken. */
                accessToken?: components["parameters"]["AccessToken"];
                /** @description Applink ID authorizing the current user to access the parent folder or this file. Any time the parameter appLinkID is used, a parameter accessToken must be provided as well. To work, this applink must have at least the contributor role granted. It can be used as appLinkID or AppLinkID. */
                appLinkID?: components["parameters"]["AppLinkID"];
            };
            path: {
                /** @description Globally unique identifier (GUID) for the file. */
                fileId: components["parameters"]["FileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request was fulfilled. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileGetCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["OtherError"];
        };
    };
    assignFileMetadataValues: {
        parameters: {
            query?: never;
            header?: {
                /** @description Applink access token authorizing the current user to access the parent folder or this file. This parameter is mandatory if appLinkID is used. It can be used as accessToken or AccessToken. */
                accessToken?: components["parameters"]["AccessToken"];
                /** @description Applink ID authorizing the current user to access the parent folder or this file. Any time the parameter appLinkID is used, a parameter accessToken must be provided as well. To work, this applink must have at least the contributor role granted. It can be used as appLinkID or AppLinkID. */
                appLinkID?: components["parameters"]["AppLinkID"];
            };
            path: {
                /** @description Globally unique identifier (GUID) for the file. */
                fileId: components["parameters"]["FileId"];
            };
            cookie?: never;
        };
        /** @description The collection and the values of its fields to assign. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["FileAssignValuesBody"];
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
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["OtherError"];
        };
    };
    deleteFileMetadataValues: {
        parameters: {
            query?: never;
            header?: {
                /** @description Applink access token authorizing the current user to access the parent folder or this file. This parameter is mandatory if appLinkID is used. It can be used as accessToken or AccessToken. */
                accessToken?: components["parameters"]["AccessToken"];
                /** @description Applink ID authorizing the current user to access the parent folder or this file. Any time the parameter appLinkID is used, a parameter accessToken must be provided as well. To work, this applink must have at least the contributor role granted. It can be used as appLinkID or AppLinkID. */
                appLinkID?: components["parameters"]["AppLinkID"];
            };
            path: {
                /** @description Globally unique identifier (GUID) for the file. */
                fileId: components["parameters"]["FileId"];
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
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["OtherError"];
        };
    };
    refreshAppLinkToken: {
        parameters: {
            query?: never;
            header: {
                /** @description The ID of the applink whose access token is refreshed. */
                appLinkID: string;
                /** @description The applink's access token, the expired or the current one. */
                accessToken: string;
                /** @description The applink's refresh token, issued with it (valid for 24 hours). */
                refreshToken: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request was fulfilled; the answer carries the new access token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplinkTokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            default: components["responses"]["OtherError"];
        };
    };
}
